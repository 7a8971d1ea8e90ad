BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
}

Describe 'Test-SnatRace (the model)' {
    It 'answers for a burst of 100 with one result per algorithm' {
        $results = Test-SnatRace -Connections 100 -Trials 5000 -Seed 1
        $results.Algorithm | Should -Be @('KeepOriginal', 'Random', 'RandomFully')
        $results | ForEach-Object {
            $_ | Should -BeOfType ([SnatTools.Core.Race.SnatRaceResult])
            $_.Connections | Should -Be 100
            $_.ProbabilityAnyDrop | Should -BeGreaterOrEqual $_.ProbabilityAnyDropInterval.Low
            $_.ProbabilityAnyDrop | Should -BeLessOrEqual $_.ProbabilityAnyDropInterval.High
        }
    }

    It 'reproduces the lab: clients sharing a source port stall about 7 bursts in 10 without random-fully' {
        $plain, $fully = Test-SnatRace -Connections 8 -SharedSourcePort -Cpus 2 -Kernel Current -Trials 20000 -Seed 7 -Algorithm KeepOriginal, RandomFully
        $plain.ProbabilityAnyDrop | Should -BeGreaterThan 0.66
        $plain.ProbabilityAnyDrop | Should -BeLessThan 0.74
        ([timespan] $plain.P99ConnectLatency).TotalSeconds | Should -BeGreaterOrEqual 1
        $fully.ProbabilityAnyDrop | Should -BeLessThan 0.001
    }

    It 'has a table view that a person reads at a glance' {
        $text = Test-SnatRace -Connections 100 -SharedSourcePort -Trials 2000 -Seed 1 | Out-String -Width 120
        $text | Should -Match 'Burst: 100 connections, 100 sources sharing ports, \d+ CPUs?, \w+ kernel'
        $text | Should -Match 'P\(stall\)'
        $text | Should -Match 'KeepOriginal\s+\d+(\.\d+)? %'
    }

    It 'stops with InvalidPortRange for a port range it cannot read' {
        { Test-SnatRace -Connections 10 -PortRange '70000-1' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidPortRange,SnatTools.Cmdlets.TestSnatRaceCommand'
    }

    # The MAML comes from docs/ through the help builder; without it Get-Help has no examples to check.
    It 'has help with examples' -Skip:(-not (Test-Path (Join-Path (Split-Path (Get-ModuleUnderTest)) 'en-US/SnatTools.dll-Help.xml'))) {
        $help = Get-Help Test-SnatRace -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 3
    }
}
