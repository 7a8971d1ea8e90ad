BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:notRoot = -not (Test-IsRoot)
    # strace (.ci/run installs it) holds a process at an exact system call, for the kill during creation.
    $script:strace = (Get-Command strace -CommandType Application -ErrorAction Ignore | Select-Object -First 1).Source
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModuleUnderTest) -Force
    $script:registry = [SnatTools.Core.Lab.LabRegistry]::DefaultDirectory
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "snattools-labkill-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $null = New-Item -ItemType Directory $work
    $script:children = [Collections.Generic.List[object]]::new()
    $script:strace = (Get-Command strace -CommandType Application -ErrorAction Ignore | Select-Object -First 1).Source

    # A pwsh that owns a lab; the test kills it with SIGKILL, which no handler can catch.
    function Start-LabOwner([string] $Command) {
        $started = Start-TestPwsh -Command "`$ErrorActionPreference = 'Stop'; $Command"
        $children.Add($started)
        $started
    }

    function Stop-Hard($Started) {
        & kill -KILL $Started.Process.Id
        $Started.Process.WaitForExit()
        $Started.Process.ExitCode | Should -Be 137 -Because 'the owner died of SIGKILL (128 + 9)'
    }

    function Wait-Until([scriptblock] $Condition, [string] $What, [int] $TimeoutSeconds = 120, [int] $PollMilliseconds = 50) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        while (-not (& $Condition)) {
            if ($clock.Elapsed.TotalSeconds -gt $TimeoutSeconds) { throw "Waited $TimeoutSeconds s for $What." }
            Start-Sleep -Milliseconds $PollMilliseconds
        }
    }

    # The records (LabRegistry) whose owner is this pid: name and namespaces.
    function Get-LabOf([int] $ProcessId) {
        foreach ($file in Get-ChildItem $registry -Filter '*.lab' -ErrorAction Ignore) {
            $text = Get-Content -Raw $file.FullName -ErrorAction Ignore
            if ($text -match "(?m)^pid=$ProcessId$") {
                [pscustomobject]@{
                    Name       = $file.BaseName
                    Record     = $file.FullName
                    Namespaces = @(($text -split "`n" | Where-Object { $_ -like 'namespaces=*' }) -replace '^namespaces=' -split ' ')
                }
            }
        }
    }

    function Get-Leftover([string] $Name) {
        @(Get-ChildItem /run/netns -ErrorAction Ignore | Where-Object Name -like "$Name-*" | ForEach-Object Name) +
        @(Get-ChildItem $registry -Force -ErrorAction Ignore | Where-Object Name -like "*$Name*" | ForEach-Object Name)
    }
}

AfterAll {
    foreach ($child in $children) {
        if (-not $child.Process.HasExited) { $child.Process.Kill($true); $child.Process.WaitForExit() }
    }
    # The killed owners' labs, if a test failed before the sweep it checks.
    if (Test-IsRoot) { Remove-SnatRaceLab -Orphaned -Confirm:$false }
    if ($work -and (Test-Path $work)) { Remove-Item $work -Recurse -Force }
}

Describe 'New-SnatRaceLab -Name when the name is taken' -Skip:$notRoot {
    It 'fails with LabNameInUse and a sentence when the lab''s -nat namespace exists, and leaves that namespace alone' {
        $name = "snattools-taken-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        try {
            # The existing namespace under the lab's nat name, with something in it to show it is untouched.
            & ip netns add "$name-nat"
            & ip -n "$name-nat" link add snattools-mark type dummy
            $before = & ip -n "$name-nat" -o link

            { New-SnatRaceLab -Name $name -Clients 1 -ErrorAction Stop } | Should -Throw -ErrorId 'LabNameInUse,SnatTools.Cmdlets.NewSnatRaceLabCommand'
            try { New-SnatRaceLab -Name $name -Clients 1 -ErrorAction Stop } catch { $failure = $_ }
            $failure.Exception.Message | Should -Match "A network namespace named $name-nat already exists"
            $failure.Exception.Message | Should -Match 'left as it is'
            $failure.CategoryInfo.Category | Should -Be 'ResourceExists'

            & ip -n "$name-nat" -o link | Should -Be $before
            Get-Leftover $name | Should -Be @("$name-nat") -Because 'nothing else of the lab was created, and no record was left'
        }
        finally {
            & ip netns del "$name-nat" 2>$null
        }
    }
}

Describe 'Labs whose process was killed (SIGKILL) are removed by the next call, and only those' -Skip:$notRoot {
    It 'after creation: the next New-SnatRaceLab removes it' {
        $marker = Join-Path $work 'created.txt'
        $owner = Start-LabOwner "`$lab = New-SnatRaceLab -Clients 2; Set-Content '$marker' `$lab.Name; Start-Sleep 600"
        Wait-Until { Test-Path $marker } 'the lab to be created'
        $lab = Get-LabOf $owner.Process.Id
        $lab.Name | Should -Be (Get-Content $marker)
        Stop-Hard $owner
        (Get-Leftover $lab.Name).Count | Should -Be 4 -Because 'SIGKILL leaves the three namespaces and the record: nothing in the process can react'

        $next = New-SnatRaceLab -Clients 1
        try {
            Get-Leftover $lab.Name | Should -BeNullOrEmpty
        }
        finally {
            Remove-SnatRaceLab $next
        }
        Get-Leftover $next.Name | Should -BeNullOrEmpty
    }

    It 'mid-burst in Test-SnatRace -Live: the next Test-SnatRace -Live removes it' {
        $owner = Start-LabOwner 'Test-SnatRace -Connections 2 -Live -Trials 100000 -Algorithm RandomFully -IdleBetweenBursts 0.005'
        Wait-Until { Get-LabOf $owner.Process.Id } 'Test-SnatRace to create its lab'
        $lab = Get-LabOf $owner.Process.Id
        # Bursts are running when the lab's NAT host tracks connections beyond the warm-up burst's.
        Wait-Until { [int]((& ip netns exec $lab.Namespaces[1] conntrack -C 2>$null) -join '') -gt 10 } 'bursts through the lab'
        Stop-Hard $owner
        (Get-Leftover $lab.Name).Count | Should -Be 4

        $result = Test-SnatRace -Connections 2 -Live -Trials 2 -Algorithm RandomFully -IdleBetweenBursts 0.005
        $result | Should -HaveCount 1
        Get-Leftover $lab.Name | Should -BeNullOrEmpty
    }

    It 'while creating namespace <When> of 3: Remove-SnatRaceLab -Orphaned removes what was made' -Skip:(-not $strace) -ForEach @(
        @{ When = 1; Mounted = @(); Files = @('client') }
        @{ When = 2; Mounted = @('client'); Files = @('nat') }
        @{ When = 3; Mounted = @('client', 'nat'); Files = @('server') }
    ) {
        # strace holds every mount(2) of the owner for 10 s: the bind mount that makes a namespace
        # named. The kill comes while namespace When waits in its mount, the ones before it done.
        $name = "snattools-mid-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        $tracer = Start-TestPwsh -Prefix @($strace, '-f', '-o', '/dev/null', '-e', 'trace=mount', '-e', 'inject=mount:delay_enter=10s') `
            -Command "`$ErrorActionPreference = 'Stop'; New-SnatRaceLab -Name $name -Clients 8; Start-Sleep 600"
        $children.Add($tracer)
        Wait-Until { Test-Path "/run/netns/$name-$($Files[0])" } "the owner to begin namespace $When"
        Start-Sleep -Milliseconds 300 # from the namespace file's creation into the held mount(2)
        $ownerPid = [int] ((Get-Content (Join-Path $registry "$name.lab") | Where-Object { $_ -like 'pid=*' }) -replace '^pid=')
        & kill -KILL $ownerPid
        & kill -KILL $tracer.Process.Id
        $tracer.Process.WaitForExit()
        Wait-Until { -not (Test-Path "/proc/$ownerPid") -or (Get-Content "/proc/$ownerPid/stat") -match '\) [ZX] ' } 'the owner to end' -TimeoutSeconds 30

        $mounts = Get-Content /proc/self/mountinfo
        foreach ($suffix in $Mounted) { $mounts -match " /run/netns/$name-$suffix " | Should -Not -BeNullOrEmpty -Because "$name-$suffix was made" }
        foreach ($suffix in $Files) {
            Test-Path "/run/netns/$name-$suffix" | Should -BeTrue
            $mounts -match " /run/netns/$name-$suffix " | Should -BeNullOrEmpty -Because "the owner died before mounting $name-$suffix"
        }
        (Get-Leftover $name).Count | Should -Be ($Mounted.Count + $Files.Count + 1) -Because 'the record and the namespaces begun so far'

        Remove-SnatRaceLab -Orphaned
        Get-Leftover $name | Should -BeNullOrEmpty
    }

    It 'never removes a lab whose owner runs, in another process or in this one; -WhatIf names each orphan and removes nothing' {
        $aliveMarker = Join-Path $work 'alive.txt'
        $alive = Start-LabOwner "`$lab = New-SnatRaceLab -Clients 1; Set-Content '$aliveMarker' `$lab.Name; Start-Sleep 600"
        $deadMarker = Join-Path $work 'dead.txt'
        $dead = Start-LabOwner "`$lab = New-SnatRaceLab -Clients 1; Set-Content '$deadMarker' `$lab.Name; Start-Sleep 600"
        $mine = New-SnatRaceLab -Clients 1
        try {
            Wait-Until { (Test-Path $aliveMarker) -and (Test-Path $deadMarker) } 'both labs'
            $aliveLab = Get-Content $aliveMarker
            $deadLab = Get-Content $deadMarker
            Stop-Hard $dead

            $whatIf = Invoke-TestPwsh -Command 'Remove-SnatRaceLab -Orphaned -WhatIf'
            $whatIf.Output | Should -Match ([regex]::Escape("What if: Performing the operation `"Delete the network namespaces of an orphaned race lab`" on target `"$deadLab ($deadLab-client, $deadLab-nat, $deadLab-server), left by process $($dead.Process.Id)"))
            $whatIf.Output | Should -Not -Match ([regex]::Escape($aliveLab))
            $whatIf.Output | Should -Not -Match ([regex]::Escape($mine.Name))
            (Get-Leftover $deadLab).Count | Should -Be 4 -Because '-WhatIf removes nothing'

            Remove-SnatRaceLab -Orphaned
            $other = New-SnatRaceLab -Clients 1
            Remove-SnatRaceLab $other

            Get-Leftover $deadLab | Should -BeNullOrEmpty
            (Get-Leftover $aliveLab).Count | Should -Be 4 -Because 'its owner still runs'
            (Get-Leftover $mine.Name).Count | Should -Be 4 -Because 'this process owns it'
            $mine.ReadMode() | Should -Be 'Plain'
        }
        finally {
            Remove-SnatRaceLab $mine
        }

        # Once its owner is killed too, the other lab goes the same way.
        Stop-Hard $alive
        Remove-SnatRaceLab -Orphaned
        Get-Leftover $aliveLab | Should -BeNullOrEmpty
    }
}
