BeforeDiscovery {
    # -Skip conditions are evaluated while Pester discovers the tests, before BeforeAll runs.
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:isRoot = Test-IsRoot
    $script:hasHelp = Test-Path (Join-Path (Split-Path (Get-ModuleUnderTest)) 'en-US/SnatTools.dll-Help.xml')
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
}

Describe 'Get-SnatPortUsage' {
    It 'stops with InvalidDestination for a destination that is not an address' {
        { Get-SnatPortUsage -Destination 'db.example:5432' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidDestination,SnatTools.Cmdlets.GetSnatPortUsageCommand'
    }

    It 'refuses a protocol it does not know' {
        { Get-SnatPortUsage -Protocol 'smtp' -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,SnatTools.Cmdlets.GetSnatPortUsageCommand'
    }

    It 'counts every NATed connection of a race lab as conntrack -L --src-nat lists it' -Skip:(-not $isRoot) {
        $lab = New-SnatRaceLab -Clients 8 -Mode RandomFully
        try {
            Invoke-InNamespace $lab.NatNamespace sysctl @('-qw', 'net.netfilter.nf_conntrack_tcp_timeout_close=600') | Out-Null
            $null = Test-SnatRace -Connections 8 -Live -Lab $lab -Trials 10 -Algorithm RandomFully
            $usage = Get-SnatPortUsage -NetworkNamespace $lab.NatNamespace
            $natted = (10 + [SnatTools.Core.Lab.SnatRaceLab]::WarmUpBursts) * 8 # the lab's unmeasured warm-up burst connects too
            $oracle = Invoke-InNamespace $lab.NatNamespace conntrack @('-L', '--src-nat') |
                Where-Object { $_ -match '^tcp\s.*dport=8080 .*dst=198\.19\.0\.1 sport=8080 dport=(\d+)' } |
                ForEach-Object { [int]$Matches[1] } | Sort-Object

            $usage | Should -HaveCount 1
            $usage | Should -BeOfType ([SnatTools.Core.PortUsage.SnatPortUsage])
            $usage.NatAddress.ToString() | Should -Be '198.19.0.1'
            $usage.Destination.ToString() | Should -Be '198.19.0.2'
            $usage.DestinationPort | Should -Be 8080
            $usage.PortsInUse | Should -Be $natted
            $usage.NatPorts | Should -Be $oracle
            $usage.FillRatio | Should -Be ($natted / 64512)
            $usage.CollisionProbabilityForBurst(2) | Should -BeGreaterThan 0

            $text = $usage | Out-String -Width 120
            $text | Should -Match 'NatAddress\s+Protocol\s+Destination\s+PortsInUse\s+PortRange\s+Fill\s+P\(collide\)'
            $text | Should -Match "198\.19\.0\.1\s+tcp\s+198\.19\.0\.2:8080\s+$natted\s+1024-65535"

            # The files under /run/netns bind by FullName; the client side has no NATed entries.
            $piped = Get-ChildItem /run/netns | Where-Object Name -Like "$($lab.Name)-*" | Get-SnatPortUsage -ErrorAction Stop
            $piped | Should -HaveCount 1
            $piped.NetworkNamespace | Should -Be "/run/netns/$($lab.NatNamespace)"
            $piped.NatPorts | Should -Be $oracle
        } finally {
            Remove-SnatRaceLab $lab
        }
    }

    # The MAML comes from docs/ through the help builder; without it Get-Help has no examples to check.
    It 'has help with examples' -Skip:(-not $hasHelp) {
        $help = Get-Help Get-SnatPortUsage -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 3
    }
}
