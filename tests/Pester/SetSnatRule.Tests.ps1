BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:notRoot = -not (Test-IsRoot)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $script:docker = "*nat`n:POSTROUTING ACCEPT [0:0]`n-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE`nCOMMIT`n"

    # Every NAT target and expression the kernels here accept is decoded (MASQUERADE and SNAT in
    # each revision, masq and nat), so the rule a newer kernel would give, with a NAT part this
    # version cannot read, is made in-process: $Rule itself, still pointing at its kernel rule,
    # with its NAT part marked as not understood (the readers' constructor is internal).
    function script:ConvertTo-RuleWithUnknownNat($Rule) {
        $type = [SnatTools.Core.Rules.SnatRule]
        $all = [Reflection.BindingFlags]'Instance, Public, NonPublic'
        $copy = $type.GetConstructor($all, $null, [type[]]@(), $null).Invoke(@())
        foreach ($property in $type.GetProperties($all) | Where-Object CanWrite) {
            $property.SetValue($copy, $property.GetValue($Rule))
        }

        $type.GetProperty('NatDecoded').SetValue($copy, $false)
        $unknown = [SnatTools.Core.Rules.UnknownPart]::new('masq', 'masq attribute 9 is not decoded', '0800090000000001')
        $type.GetProperty('Unknown').SetValue($copy, [SnatTools.Core.Rules.UnknownPart[]]@($unknown))
        return $copy
    }
}

Describe 'Set-SnatRule' {
    It 'repairs a Docker host''s masquerade rule so that iptables-save shows --random-fully, and -WhatIf before it changed nothing' -Skip:$notRoot {
        $ns = New-TestNamespace 'pesterset'
        try {
            $docker | & ip netns exec $ns iptables-nft-restore
            $before = & ip netns exec $ns iptables-save -t nat | Where-Object { $_ -notmatch '^#' }

            Get-SnatRule -NetworkNamespace $ns | Set-SnatRule -RandomFully -WhatIf -WarningAction SilentlyContinue
            & ip netns exec $ns iptables-save -t nat | Where-Object { $_ -notmatch '^#' } | Should -Be $before

            $rule = Get-SnatRule -NetworkNamespace $ns | Set-SnatRule -RandomFully -PassThru -WarningVariable warnings -WarningAction SilentlyContinue
            $rule.RandomFully | Should -BeTrue
            $rule.Text | Should -Be '-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE --random-fully'
            $warnings | Should -HaveCount 1
            $warnings[0].Message | Should -Match 'dockerd'
            & ip netns exec $ns iptables-save -t nat | Should -Contain '-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE --random-fully'
        }
        finally {
            Remove-TestNamespace $ns
        }
    }

    It 'writes RuleNotDecodable for a rule whose NAT part it does not understand, leaves that rule alone, and changes the others' -Skip:$notRoot {
        $ns = New-TestNamespace 'pestersetbad'
        try {
            "table ip natu {`n chain post {`n type nat hook postrouting priority srcnat; policy accept;`n ip saddr 198.18.0.0/16 limit rate 10/second masquerade`n ip saddr 198.19.0.0/16 masquerade`n }`n}`n" |
                & ip netns exec $ns nft -f -
            $limited, $plain = Get-SnatRule -NetworkNamespace $ns | Sort-Object Position
            $plain.NatDecoded | Should -BeTrue

            $changed = $limited, (ConvertTo-RuleWithUnknownNat $plain) | Set-SnatRule -RandomFully -PassThru -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'RuleNotDecodable,*'
            $failures[0].Exception.Message | Should -Match 'masq attribute 9 is not decoded'
            $changed | Should -HaveCount 1
            $changed.RandomFully | Should -BeTrue -Because 'limit is passed through whether or not it is decoded for display: only the NAT part decides'
            $listed = & ip netns exec $ns nft list table ip natu
            $listed | Should -Contain "`t`tip saddr 198.19.0.0/16 masquerade" -Because 'the refused rule is not written'
            $listed | Should -Contain "`t`tip saddr 198.18.0.0/16 limit rate 10/second masquerade fully-random"
        }
        finally {
            Remove-TestNamespace $ns
        }
    }

    It 'binds a rule read back with Import-Clixml by its properties and repairs exactly that rule' -Skip:$notRoot {
        $ns = New-TestNamespace 'pestersetxml'
        $file = Join-Path ([IO.Path]::GetTempPath()) "snattools-pestersetxml-$([guid]::NewGuid().ToString('N')).clixml"
        try {
            "*nat`n:POSTROUTING ACCEPT [0:0]`n-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE`n-A POSTROUTING -s 198.19.0.0/16 -j MASQUERADE`nCOMMIT`n" |
                & ip netns exec $ns iptables-nft-restore
            "*nat`n:POSTROUTING ACCEPT [0:0]`n-A POSTROUTING -s 198.18.7.0/24 -j MASQUERADE`nCOMMIT`n" | & ip netns exec $ns iptables-legacy-restore
            Get-SnatRule -NetworkNamespace $ns -WarningAction SilentlyContinue | Where-Object { $_.Text -notmatch '198\.19\.' } | Export-Clixml $file
            $saved = @(Import-Clixml $file)
            $saved | Should -HaveCount 2
            $saved[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.SnatTools.Core.Rules.SnatRule'

            $changed = @($saved | Set-SnatRule -RandomFully -PassThru -WarningAction SilentlyContinue -ErrorAction Stop)
            $changed | Should -HaveCount 2
            $changed | Should -BeOfType ([SnatTools.Core.Rules.SnatRule])
            & ip netns exec $ns iptables-save -t nat | Should -Contain '-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE --random-fully'
            & ip netns exec $ns iptables-save -t nat | Should -Contain '-A POSTROUTING -s 198.19.0.0/16 -j MASQUERADE' -Because 'the rule that was not piped stays'
            & ip netns exec $ns iptables-legacy-save -t nat | Should -Contain '-A POSTROUTING -s 198.18.7.0/24 -j MASQUERADE --random-fully'
        }
        finally {
            Remove-Item $file -ErrorAction SilentlyContinue
            Remove-TestNamespace $ns
        }
    }

    It 'refuses a custom object that does not name one rule with RuleLocationIncomplete, and one without a table with InputObjectNotBound' {
        [pscustomobject]@{ Table = 'nat'; Chain = 'POSTROUTING' } | Set-SnatRule -RandomFully -WhatIf -ErrorAction SilentlyContinue -ErrorVariable incomplete
        $incomplete | Should -HaveCount 1
        $incomplete[0].FullyQualifiedErrorId | Should -Be 'RuleLocationIncomplete,SnatTools.Cmdlets.SetSnatRuleCommand'
        $incomplete[0].Exception.Message | Should -Match 'neither a handle .* nor a position'
        $incomplete[0].CategoryInfo.Category | Should -Be 'InvalidArgument'

        [pscustomobject]@{ Table = 'nat'; Chain = 'POSTROUTING'; Backend = 'IptablesLegacy'; Handle = 7 } | Set-SnatRule -RandomFully -WhatIf -ErrorAction SilentlyContinue -ErrorVariable legacy
        $legacy[0].FullyQualifiedErrorId | Should -Be 'RuleLocationIncomplete,SnatTools.Cmdlets.SetSnatRuleCommand'
        $legacy[0].Exception.Message | Should -Match 'no position'

        [pscustomobject]@{ Name = 'not a rule' } | Set-SnatRule -RandomFully -WhatIf -ErrorAction SilentlyContinue -ErrorVariable unbound
        $unbound | Should -HaveCount 1
        $unbound[0].FullyQualifiedErrorId | Should -Be 'InputObjectNotBound,SnatTools.Cmdlets.SetSnatRuleCommand'
    }

    It 'finds a rule named by a custom object''s Table, Chain, Handle and NetworkNamespace, and checks its Backend' -Skip:$notRoot {
        $ns = New-TestNamespace 'pestersetobj'
        try {
            $docker | & ip netns exec $ns iptables-nft-restore
            $handle = (Get-SnatRule -NetworkNamespace $ns).Handle
            $named = [pscustomobject]@{ Table = 'nat'; Chain = 'POSTROUTING'; Handle = $handle; NetworkNamespace = $ns }
            $named | Set-SnatRule -RandomFully -WhatIf -WarningAction SilentlyContinue -ErrorAction Stop
            $named | Add-Member -NotePropertyName Backend -NotePropertyValue Nftables
            $named | Set-SnatRule -RandomFully -ErrorAction SilentlyContinue -ErrorVariable wrong
            $wrong[0].FullyQualifiedErrorId | Should -Be 'RuleNotFound,SnatTools.Cmdlets.SetSnatRuleCommand'
            $wrong[0].Exception.Message | Should -Match 'is an IptablesNft rule, not Nftables'
            (Get-SnatRule -NetworkNamespace $ns).RandomFully | Should -BeFalse -Because 'neither call changed anything'
        }
        finally {
            Remove-TestNamespace $ns
        }
    }

    It 'stops with InvalidArgument when no flag is named' {
        { Set-SnatRule -Table nat -Chain POSTROUTING -Handle 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,SnatTools.Cmdlets.SetSnatRuleCommand'
    }

    It 'asks before it changes anything (SupportsShouldProcess, ConfirmImpact Medium)' {
        $command = Get-Command Set-SnatRule
        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.Parameters.Keys | Should -Contain 'Confirm'
        $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
            Should -Be ([System.Management.Automation.ConfirmImpact]::Medium)
    }

    It 'has help with examples' -Skip:(-not (Test-Path (Join-Path (Split-Path (Get-ModuleUnderTest)) 'en-US/SnatTools.dll-Help.xml'))) {
        $help = Get-Help Set-SnatRule -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 3
    }
}
