BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $cmdlets = @(Get-Command -Module SnatTools -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $script:docs = Join-Path $PSScriptRoot '../../docs'
    # -WhatIf and -Confirm are documented like any parameter (PlatyPS does); the rest are not.
    $script:common = [System.Management.Automation.PSCmdlet]::CommonParameters
}

Describe 'Help for <Name>' -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help $Name -Full
        $command = Get-Command $Name
    }

    It 'comes from docs/<Name>.md (a synopsis and a description, not the generated stub)' {
        Test-Path (Join-Path $docs "$Name.md") | Should -BeTrue -Because "every exported cmdlet needs docs/$Name.md"
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$Name\s" -Because 'Get-Help falls back to the syntax as synopsis when there is no MAML'
        ($help.Description.Text -join '').Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example with code and remarks' {
        $examples = @($help.Examples.Example)
        $examples.Count | Should -BeGreaterOrEqual 1
        foreach ($example in $examples) {
            $example.Code | Should -Not -BeNullOrEmpty
            ($example.Remarks.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because "$($example.Title.Trim('- ')) should say what it shows"
        }
    }

    It 'documents exactly the parameters the cmdlet has' {
        $real = @($command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object)
        $documented = @($help.Parameters.Parameter.Name | Where-Object { $_ } | Sort-Object)
        $missing = @($real | Where-Object { $_ -notin $documented })
        $stale = @($documented | Where-Object { $_ -notin $real })
        $missing | Should -BeNullOrEmpty -Because "docs/$Name.md lacks them"
        $stale | Should -BeNullOrEmpty -Because "docs/$Name.md documents parameters $Name does not have"
    }

    It 'describes every parameter' {
        foreach ($parameter in @($help.Parameters.Parameter)) {
            ($parameter.Description.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) needs a description"
        }
    }
}

Describe 'Get-Help Get-ConntrackStatistics -Examples' {
    It 'shows the examples of docs/Get-ConntrackStatistics.md, code and all' {
        $markdown = Get-Content -Raw (Join-Path $docs 'Get-ConntrackStatistics.md')
        $expected = [regex]::Matches($markdown, '(?m)^### (Example \d+: .+)\r?\n```powershell\r?\n(?<code>[\s\S]*?)\r?\n```') |
            ForEach-Object { [pscustomobject]@{ Title = $_.Groups[1].Value.Trim(); Code = $_.Groups['code'].Value } }
        $expected.Count | Should -BeGreaterOrEqual 3

        $help = Get-Help Get-ConntrackStatistics -Examples
        $examples = @($help.Examples.Example)
        $examples.Count | Should -Be $expected.Count
        $text = $help | Out-String -Width 250
        for ($i = 0; $i -lt $expected.Count; $i++) {
            $examples[$i].Title | Should -Match ([regex]::Escape($expected[$i].Title))
            $examples[$i].Code | Should -Be $expected[$i].Code
            $text | Should -Match ([regex]::Escape($expected[$i].Title))
            foreach ($line in $expected[$i].Code -split '\r?\n') {
                $text | Should -Match ([regex]::Escape($line.Trim()))
            }
        }
        $text | Should -Match 'InsertFailed'
    }
}

Describe 'about_SnatTools' {
    It 'is found by Get-Help once the module is imported' {
        $topic = Get-Help about_SnatTools | Out-String
        $topic | Should -Match '(?m)^TOPIC\s+about_SnatTools'
        $topic | Should -Match '(?m)^SHORT DESCRIPTION'
        $topic | Should -Match 'random-fully'
    }

    It 'is wrapped for an 80-column terminal' {
        $file = Join-Path (Split-Path (Get-ModuleUnderTest)) 'en-US/about_SnatTools.help.txt'
        $long = Get-Content $file | Where-Object { $_.Length -gt 80 }
        $long | Should -BeNullOrEmpty
    }
}

Describe 'Tab completion of -NetworkNamespace' {
    It 'offers a namespace that was just created' -Skip:(-not (Test-IsRoot)) {
        $namespace = New-TestNamespace 'complete'
        try {
            $line = 'Get-ConntrackStatistics -NetworkNamespace ' + $namespace.Substring(0, $namespace.Length - 3)
            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $completion.CompletionMatches.CompletionText | Should -Contain $namespace
            $completion.CompletionMatches.CompletionText | Should -HaveCount 1 -Because 'the prefix names only this namespace'
        }
        finally {
            Remove-TestNamespace $namespace
        }
        Test-Path "/run/netns/$namespace" | Should -BeFalse
    }
}

Describe "The operator's guide" {
    BeforeAll {
        $script:guide = Get-Content -Raw (Join-Path $docs 'guide/operators-guide.md')
        $script:blocks = [regex]::Matches($guide, '(?ms)^```powershell\r?\n(.*?)^```') | ForEach-Object { $_.Groups[1].Value }
    }

    It 'has a command block and real output for each of its five steps' {
        foreach ($step in 'Find', 'Measure', 'Reproduce', 'Fix', 'Keep it fixed') {
            $section = [regex]::Match($guide, "(?ms)^## \d\. $step\b.*?(?=^## |\z)").Value
            $section | Should -Not -BeNullOrEmpty -Because "the guide has a step '$step'"
            $section | Should -Match '```powershell' -Because "step '$step' shows its command"
            $section | Should -Match '```output' -Because "step '$step' shows what the command printed"
        }
    }

    It 'calls SnatTools cmdlets only with parameters they have' {
        $exported = @(Get-Command -Module SnatTools -CommandType Cmdlet | ForEach-Object Name)
        $calls = 0
        foreach ($block in $blocks) {
            $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($block, [ref] $null, [ref] $errors)
            $errors | Should -BeNullOrEmpty -Because "every block parses:`n$block"
            foreach ($call in $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)) {
                $name = $call.GetCommandName()
                if ($name -notin $exported) { continue }
                $calls++
                # Binds names, prefixes, aliases and positions as PowerShell would, without running anything.
                $binding = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($call, $true)
                $problems = @($binding.BindingExceptions.Values | ForEach-Object { $_.BindingException.Message })
                $problems | Should -BeNullOrEmpty -Because "'$($call.Extent.Text)' in the guide must bind"
            }
        }
        $calls | Should -BeGreaterThan 10
    }
}
