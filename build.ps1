#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, documents, tests, benchmarks, packages and demonstrates the SnatTools module.
.DESCRIPTION
    Run with the pinned PowerShell tool: `dotnet tool restore; dotnet pwsh ./build.ps1 <Task>`.
    Build    assembles the importable module under out/SnatTools/<version>/ (the default).
    Docs     turns docs/*.md (PlatyPS schema) into MAML help and about_SnatTools.help.txt.
    Test     runs the xunit tests and the Pester tests against the built module, then prints
             one line "N passed, N failed, N skipped" and exits non-zero on any failure.
    Bench    runs the benchmarks and prints the numbers the issues ask for.
    Package  writes out/packages/SnatTools.<version>.nupkg for Publish-/Install-PSResource.
    Demo     builds, then shows the SNAT race being found, measured, reproduced, repaired and
             audited in a throw-away network-namespace lab (needs root).
    Clean    removes out/ and every bin/ and obj/.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Docs', 'Test', 'Bench', 'Package', 'Demo', 'Clean')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Passed to `dotnet test --filter` and used as a Pester FullName filter, to run a subset.
    [string] $Filter
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$PSNativeCommandUseErrorActionPreference = $true

$Root = $PSScriptRoot
$Manifest = Import-PowerShellDataFile (Join-Path $Root 'module/SnatTools.psd1')
$Version = $Manifest.ModuleVersion
$Out = Join-Path $Root 'out'
$ModuleDir = Join-Path $Out "SnatTools/$Version"
$PesterVersion = '6.2.0'

# Invoke-IsolatedPwsh: a child pwsh whose HOME, XDG dirs and module path are a sandbox (shared with the tests).
. (Join-Path $Root 'tests/Pester/IsolatedPwsh.ps1')

function Write-Step([string] $Message) {
    Write-Host "==> $Message" -ForegroundColor Cyan
}

function Get-NuGetPackageRoot {
    $line = & dotnet nuget locals global-packages --list
    return ($line -replace '^global-packages:\s*', '').Trim()
}

function Get-PesterManifest {
    $path = Join-Path (Get-NuGetPackageRoot) "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $path)) {
        # The test project downloads Pester from NuGet (PackageDownload); restore brings it.
        & dotnet restore (Join-Path $Root 'tests/SnatTools.Tests/SnatTools.Tests.csproj') --verbosity quiet | Out-Host
    }
    if (-not (Test-Path $path)) { throw "Pester $PesterVersion was not restored to $path." }
    return $path
}

function Get-PesterModuleRoot {
    # A folder holding Pester/<version>, so `Import-Module Pester` (as Invoke-SnatAudit does) finds the restored Pester by name.
    $root = Join-Path $Out 'test-modules'
    $folder = Join-Path $root "Pester/$PesterVersion"
    if (-not (Test-Path $folder)) {
        $null = New-Item -ItemType Directory (Split-Path $folder) -Force
        $null = New-Item -ItemType SymbolicLink -Path $folder -Target (Split-Path (Get-PesterManifest))
    }
    return $root
}

function Invoke-Build {
    Write-Step "Build $Configuration -> $ModuleDir"
    & dotnet build (Join-Path $Root 'SnatTools.sln') -c $Configuration --nologo -v quiet | Out-Host
    if (Test-Path $ModuleDir) { Remove-Item $ModuleDir -Recurse -Force }
    $null = New-Item -ItemType Directory $ModuleDir -Force
    $bin = Join-Path $Root "src/SnatTools/bin/$Configuration/net10.0"
    foreach ($file in 'SnatTools.dll', 'SnatTools.pdb', 'SnatTools.Core.dll', 'SnatTools.Core.pdb', 'SnatTools.deps.json') {
        Copy-Item (Join-Path $bin $file) $ModuleDir
    }
    Copy-Item (Join-Path $Root 'module/*') $ModuleDir -Recurse
    Copy-Item (Join-Path $Root 'LICENSE') $ModuleDir
    Invoke-Docs
}

function Invoke-Docs {
    Write-Step 'Docs: docs/*.md -> MAML'
    $helpDir = Join-Path $ModuleDir 'en-US'
    $null = New-Item -ItemType Directory $helpDir -Force
    $builder = Join-Path $Root 'src/SnatTools.HelpBuilder/SnatTools.HelpBuilder.csproj'
    # Build (a no-op after Build) and run the dll: `dotnet run` would re-evaluate the project every time.
    & dotnet build $builder -c $Configuration --nologo -v quiet | Out-Host
    $dll = Join-Path $Root "src/SnatTools.HelpBuilder/bin/$Configuration/net10.0/SnatTools.HelpBuilder.dll"
    # A page that breaks the schema makes the builder exit non-zero with file:line messages; that stops the build.
    & dotnet $dll (Join-Path $Root 'docs') $helpDir | Out-Host
}

function Read-TrxCounts([string] $Directory) {
    $totals = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($trx in Get-ChildItem $Directory -Filter *.trx -ErrorAction SilentlyContinue) {
        [xml] $doc = Get-Content -Raw $trx.FullName
        # Count the results themselves: the summary's notExecuted stays 0 for a test that skips itself at run time.
        foreach ($result in $doc.TestRun.Results.UnitTestResult) {
            switch ($result.outcome) {
                'Passed' { $totals.Passed++ }
                'NotExecuted' { $totals.Skipped++ }
                default { $totals.Failed++ }
            }
        }
    }
    return $totals
}

function Invoke-Test {
    Invoke-Build
    $results = Join-Path $Out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    $null = New-Item -ItemType Directory $results -Force

    Write-Step 'xunit'
    $testArgs = @('test', (Join-Path $Root 'tests/SnatTools.Tests/SnatTools.Tests.csproj'), '-c', $Configuration, '--no-build',
        '--logger', 'trx;LogFileName=xunit.trx', '--logger', 'console;verbosity=normal', '--results-directory', $results)
    if ($Filter) { $testArgs += @('--filter', $Filter) }
    # Failing tests must not stop the task: both runners report, then the summary line decides.
    $PSNativeCommandUseErrorActionPreference = $false
    & dotnet @testArgs | Out-Host
    $xunitExit = $LASTEXITCODE
    $xunit = Read-TrxCounts $results
    if ($xunitExit -ne 0 -and $xunit.Failed -eq 0) { $xunit.Failed = 1 } # a crashed test host counts as a failure

    Write-Step 'Pester'
    $pesterResult = Join-Path $results 'pester.json'
    & dotnet pwsh -NoProfile -File (Join-Path $Root 'tests/Pester/Invoke-PesterTests.ps1') `
        -PesterManifest (Get-PesterManifest) -ModuleManifest (Join-Path $ModuleDir 'SnatTools.psd1') `
        -ResultPath $pesterResult -Filter $Filter | Out-Host
    $pesterExit = $LASTEXITCODE
    $pester = if (Test-Path $pesterResult) { Get-Content -Raw $pesterResult | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    $pesterFailed = [int] $pester.Failed
    if ($pesterExit -ne 0 -and $pesterFailed -eq 0) { $pesterFailed = 1 }

    $passed = $xunit.Passed + [int] $pester.Passed
    $failed = $xunit.Failed + $pesterFailed
    $skipped = $xunit.Skipped + [int] $pester.Skipped
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped; Pester: $($pester.Passed) passed, $pesterFailed failed, $($pester.Skipped) skipped"
    # The one plain line CI and people read; keep its shape.
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Bench {
    Invoke-Build
    $bench = Join-Path $Root 'tests/SnatTools.Benchmarks/SnatTools.Benchmarks.csproj'
    if (-not (Test-Path $bench)) { throw 'The benchmark project tests/SnatTools.Benchmarks is missing.' }
    Write-Step 'Benchmarks'
    & dotnet run --project $bench -c Release -- @args | Out-Host
}

function Invoke-Package {
    Invoke-Build
    $feed = Join-Path $Out 'packages'
    $null = New-Item -ItemType Directory $feed -Force
    Get-ChildItem $feed -Filter 'SnatTools.*.nupkg' | Remove-Item -Force
    Write-Step "Package -> $feed"
    # Publish-PSResource needs a registered repository. Register it in a child pwsh whose HOME and
    # XDG dirs are a temp folder, so the caller's own PSResourceGet repositories are never touched.
    $sandbox = Join-Path ([IO.Path]::GetTempPath()) "snattools-package-$PID"
    $publish = Join-Path $sandbox 'publish.ps1'
    $null = New-Item -ItemType Directory $sandbox -Force
    try {
        Set-Content $publish -Value @'
param([string] $ModuleDir, [string] $Feed)
$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name SnatToolsBuild -Uri $Feed -Trusted
Publish-PSResource -Path $ModuleDir -Repository SnatToolsBuild
'@
        $exit = Invoke-IsolatedPwsh -Sandbox $sandbox -Arguments @('-File', $publish, '-ModuleDir', $ModuleDir, '-Feed', $feed)
        if ($exit -ne 0) { throw "Publish-PSResource failed (exit code $exit)." }
    }
    finally {
        Remove-Item $sandbox -Recurse -Force -ErrorAction SilentlyContinue
    }
    Get-ChildItem $feed -Filter 'SnatTools.*.nupkg' | ForEach-Object { Write-Host $_.FullName }
}

function Invoke-Demo {
    Invoke-Build
    $demo = Join-Path $Root 'tests/Demo/Show-SnatRace.ps1'
    $env:PSModulePath = (Get-PesterModuleRoot) + [IO.Path]::PathSeparator + $env:PSModulePath # for Invoke-SnatAudit
    & dotnet pwsh -NoProfile -File $demo -ModuleManifest (Join-Path $ModuleDir 'SnatTools.psd1')
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Clean {
    Write-Step 'Clean'
    if (Test-Path $Out) { Remove-Item $Out -Recurse -Force }
    Get-ChildItem $Root -Directory -Recurse -Include bin, obj | Where-Object FullName -NotLike '*/.git/*' | Remove-Item -Recurse -Force
}

Push-Location $Root
try {
    foreach ($name in $Task) {
        & "Invoke-$name"
    }
}
finally {
    Pop-Location
}
