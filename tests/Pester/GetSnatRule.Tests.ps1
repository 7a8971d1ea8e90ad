BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:notRoot = -not (Test-IsRoot)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
}

Describe 'Get-SnatRule' {
    It 'shows a Docker host''s masquerade rule in the default table view' -Skip:$notRoot {
        $ns = New-TestNamespace 'pestersnat'
        try {
            "*nat`n:POSTROUTING ACCEPT [0:0]`n-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE`nCOMMIT`n" |
                & ip netns exec $ns iptables-nft-restore
            $rules = @(Get-SnatRule -NetworkNamespace $ns)
            $rules | Should -HaveCount 1
            $rules[0].RandomFully | Should -BeFalse
            $rules[0].Text | Should -Be '-A POSTROUTING -s 198.18.0.0/16 ! -o docker0 -j MASQUERADE'

            $table = ($rules | Format-Table | Out-String -Width 200) -split "`n"
            $table[1] | Should -Match '^Backend\s+Family\s+Table\s+Chain\s+Action\s+RandomFully\s+OutInterface\s+Owner\s+Packets'
            ($table | Where-Object { $_ -match 'IptablesNft' }) | Should -Match 'IptablesNft\s+IPv4\s+nat\s+POSTROUTING\s+Masquerade\s+False\s+!docker0\s+Docker\s+0'
        }
        finally {
            Remove-TestNamespace $ns
        }
    }

    It 'completes -Table and -Chain from the kernel of the namespace given' -Skip:$notRoot {
        $ns = New-TestNamespace 'pestercomplete'
        try {
            "*nat`n:POSTROUTING ACCEPT [0:0]`n:DOCKER-SNAT - [0:0]`n-A POSTROUTING -j DOCKER-SNAT`nCOMMIT`n" | & ip netns exec $ns iptables-nft-restore
            "*nat`n:POSTROUTING ACCEPT [0:0]`n:LEGACY-ONLY - [0:0]`nCOMMIT`n" | & ip netns exec $ns iptables-legacy-restore
            "table inet complab {`n chain post {`n type nat hook postrouting priority srcnat`n }`n chain podnat {`n }`n}`n" | & ip netns exec $ns nft -f -
            function Complete([string] $Line) { @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText) }

            $tables = Complete "Get-SnatRule -NetworkNamespace $ns -Table "
            $tables | Should -Contain 'nat'
            $tables | Should -Contain 'complab'
            Complete "Get-SnatRule -NetworkNamespace $ns -Table comp" | Should -Be @('complab')
            Complete "Get-SnatRule -NetworkNamespace $ns -Table complab -Chain " | Should -Be @('podnat', 'post')
            $natChains = Complete "Set-SnatRule -NetworkNamespace $ns -Table nat -Chain "
            foreach ($chain in 'POSTROUTING', 'DOCKER-SNAT', 'LEGACY-ONLY') { $natChains | Should -Contain $chain }
            $natChains | Should -Not -Contain 'post'
            # The namespace is honoured: this process's own namespace has none of these.
            Complete 'Get-SnatRule -Table comp' | Should -BeNullOrEmpty
        }
        finally {
            Remove-TestNamespace $ns
        }
    }

    It 'writes NetworkNamespaceNotFound for a namespace that does not exist' {
        Get-SnatRule -NetworkNamespace 'snattools-pester-missing' -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NetworkNamespaceNotFound,*'
    }
}
