BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
}

Describe 'Test-SnatRace (the model)' {
    It 'answers for a burst of 100 with one result per algorithm, each with its range for a run of 100 bursts' {
        $results = Test-SnatRace -Connections 100 -Seed 1 -WarningAction SilentlyContinue
        $results.Algorithm | Should -Be @('KeepOriginal', 'Random', 'RandomFully')
        $results | ForEach-Object {
            $_ | Should -BeOfType ([SnatTools.Core.Race.SnatRaceResult])
            $_.Connections | Should -Be 100
            $_.RunLength | Should -Be 100
            $_.ProbabilityAnyDrop | Should -BeGreaterOrEqual $_.ProbabilityAnyDropInterval.Low
            $_.ProbabilityAnyDrop | Should -BeLessOrEqual $_.ProbabilityAnyDropInterval.High
            $_.ProbabilityAnyDropRange.Low | Should -BeLessOrEqual $_.ProbabilityAnyDropRange.High
        }
    }

    It 'says it uses the shipped calibration, and why, when this host has none' {
        $result = Test-SnatRace -Connections 8 -SharedSourcePort -Algorithm KeepOriginal -Seed 1 -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -HaveCount 1
        "$warnings" | Should -Match 'no race calibration .*Update-SnatRaceCalibration'
        $result.Calibration.Source | Should -Be 'Shipped'
        (Get-SnatRaceCalibration -WarningAction SilentlyContinue).Source | Should -Be 'Shipped'
    }

    It 'gives clients sharing a source port a wide range without random-fully, and none with it' {
        $plain, $fully = Test-SnatRace -Connections 8 -Sources 8 -SharedSourcePort -Cpus 2 -Kernel Current -Trials 40 -Seed 7 -Algorithm KeepOriginal, RandomFully -WarningAction SilentlyContinue
        $plain.RunLength | Should -Be 40
        $plain.ProbabilityAnyDropRange.Low | Should -BeGreaterOrEqual 0.05
        ($plain.ProbabilityAnyDropRange.High - $plain.ProbabilityAnyDropRange.Low) | Should -BeLessOrEqual 0.80
        ([timespan] $plain.P99ConnectLatency).TotalSeconds | Should -BeGreaterOrEqual 1
        $fully.ProbabilityAnyDrop | Should -BeLessThan 0.001
        $fully.ProbabilityAnyDropRange.High | Should -BeLessOrEqual 0.02
    }

    It 'has a table view that a person reads at a glance' {
        $text = Test-SnatRace -Connections 100 -SharedSourcePort -Seed 1 -WarningAction SilentlyContinue | Out-String -Width 200
        $text | Should -Match 'Burst: 100 connections, 100 sources sharing ports, \d+ CPUs?, \w+ kernel; runs of 100; windows: shipped \(\d+ runs\)'
        $text | Should -Match 'P\(stall\)\s+90% of runs'
        $text | Should -Match 'KeepOriginal\s+\d+(\.\d+)? %\s+\d+-\d+ %'
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
