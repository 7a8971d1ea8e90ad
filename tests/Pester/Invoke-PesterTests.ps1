<#
.SYNOPSIS
    Runs the Pester tests against the built module in a fresh process and writes the counts as JSON.
.DESCRIPTION
    build.ps1 Test calls this so the module under test is the one in out/, loaded once, and the
    counts reach the summary line even if a test file itself fails to load.
#>
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $ResultPath,
    [string] $Filter
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest -Force
$env:SNATTOOLS_MODULE = (Resolve-Path $ModuleManifest).Path
# The tests never read or write the host's own race calibration (/var/lib/snattools for root).
$env:XDG_DATA_HOME = Join-Path ([IO.Path]::GetTempPath()) "snattools-pester-data-$PID"

$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
$config.Run.Exit = $false
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = [IO.Path]::ChangeExtension($ResultPath, '.xml')
if ($Filter) { $config.Filter.FullName = "*$Filter*" }

$result = Invoke-Pester -Configuration $config
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[pscustomobject]@{
    Passed  = $result.PassedCount
    Failed  = $failed
    Skipped = $result.SkippedCount + $result.NotRunCount
} | ConvertTo-Json | Set-Content -Path $ResultPath
if ($failed -gt 0) { exit 1 }
