# The packaging proof: the built module, published as a .nupkg to a folder repository, installs
# with Install-PSResource in a fresh pwsh and works there. Both the publishing and the installing
# process get a throw-away HOME, so the user's PSResourceGet repositories and modules stay as
# they are.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $cmdlets = @((Import-PowerShellDataFile (Get-ModuleUnderTest)).CmdletsToExport | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:manifest = Import-PowerShellDataFile (Get-ModuleUnderTest)
    $script:work = (New-Item -ItemType Directory (Join-Path ([IO.Path]::GetTempPath()) "snattools-package-$([guid]::NewGuid().ToString('N').Substring(0, 8))")).FullName
    $script:feed = (New-Item -ItemType Directory (Join-Path $work 'feed')).FullName
    $script:resultPath = Join-Path $work 'installed.json'
    # Where the caller's PSResourceGet keeps its repositories: under the data home, or (when that
    # folder is missing) relative to the working directory. Hashed, not queried: a query creates it.
    function Get-RepositoryStoreState {
        $dataHome = if ($env:XDG_DATA_HOME) { $env:XDG_DATA_HOME } else { Join-Path $HOME '.local/share' }
        foreach ($dir in $dataHome, (Get-Location).Path, (Join-Path $PSScriptRoot '../..')) {
            $file = Join-Path $dir 'PSResourceGet/PSResourceRepository.xml'
            if (Test-Path $file) { '{0}={1}' -f (Resolve-Path $file), (Get-FileHash $file).Hash } else { "$file=none" }
        }
    }
    $script:repositoriesBefore = Get-RepositoryStoreState

    Set-Content (Join-Path $work 'publish.ps1') @'
param([string] $ModuleDir, [string] $Feed)
$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name SnatToolsPublish -Uri $Feed -Trusted
Publish-PSResource -Path $ModuleDir -Repository SnatToolsPublish
'@
    $script:publishExit = Invoke-IsolatedPwsh (Join-Path $work 'publisher') @(
        '-File', (Join-Path $work 'publish.ps1'), '-ModuleDir', (Split-Path (Get-ModuleUnderTest)), '-Feed', $feed)

    # Runs in the fresh process: install by name, import by name, then each cmdlet's first help
    # example whose remarks do not say it needs root.
    Set-Content (Join-Path $work 'install.ps1') @'
param([string] $Feed, [string] $ResultPath)
$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name SnatToolsLocal -Uri $Feed
Install-PSResource -Name SnatTools -Repository SnatToolsLocal -TrustRepository -Scope CurrentUser -Quiet
Import-Module SnatTools
$module = Get-Module SnatTools
$result = [ordered]@{
    ModuleBase   = $module.ModuleBase
    Version      = "$($module.Version)"
    Cmdlets      = @(Get-Command -Module SnatTools -CommandType Cmdlet | ForEach-Object Name)
    Examples     = [ordered]@{}
}
foreach ($name in $result.Cmdlets) {
    $examples = @((Get-Help $name -Examples).Examples.Example)
    $example = $examples | Where-Object { ($_.Remarks.Text -join ' ') -notmatch 'This example needs root' } | Select-Object -First 1
    if (-not $example) {
        $result.Examples[$name] = @{ Status = 'Skipped'; Reason = "all $($examples.Count) of its examples say they need root" }
        continue
    }
    $title = $example.Title.Trim('- ')
    try {
        $output = & ([scriptblock]::Create($example.Code)) | Out-String -Width 200
        $result.Examples[$name] = @{ Status = 'Passed'; Title = $title; Output = $output }
    }
    catch {
        $result.Examples[$name] = @{ Status = 'Failed'; Title = $title; Error = "$_" }
    }
}
$result | ConvertTo-Json -Depth 4 | Set-Content $ResultPath
'@
    $script:installExit = if ($publishExit -eq 0) {
        Invoke-IsolatedPwsh (Join-Path $work 'installer') @('-File', (Join-Path $work 'install.ps1'), '-Feed', $feed, '-ResultPath', $resultPath)
    }
    $script:installed = if (Test-Path $resultPath) { Get-Content -Raw $resultPath | ConvertFrom-Json -AsHashtable }
}

AfterAll {
    if ($work) { Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'The SnatTools package' {
    It 'is published as a SnatTools .nupkg with the module, its help, and nothing build-only' {
        $publishExit | Should -Be 0
        $package = Join-Path $feed "SnatTools.$($manifest.ModuleVersion).nupkg"
        Test-Path $package | Should -BeTrue
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($package)
        try { $entries = @($zip.Entries.FullName) } finally { $zip.Dispose() }
        foreach ($file in 'SnatTools.psd1', 'SnatTools.dll', 'SnatTools.Core.dll', 'SnatTools.format.ps1xml', 'en-US/SnatTools.dll-Help.xml', 'en-US/about_SnatTools.help.txt', 'systemd/snattools-guard.service') {
            $entries | Should -Contain $file
        }
        $entries | Should -Not -Contain 'SnatTools.HelpBuilder.dll'
        $entries | Where-Object { $_ -like 'Markdig*' } | Should -BeNullOrEmpty
    }

    It 'installs with Install-PSResource in a fresh pwsh and imports by name from there' {
        $installExit | Should -Be 0
        $installed | Should -Not -BeNullOrEmpty
        $installed.ModuleBase | Should -BeLike "$work/installer/*"
        $installed.Version | Should -Be $manifest.ModuleVersion
        @($installed.Cmdlets | Sort-Object) | Should -Be @($manifest.CmdletsToExport | Sort-Object)
    }

    It 'runs the first example of <Name> that needs no root' -ForEach $cmdlets {
        $installed | Should -Not -BeNullOrEmpty
        $run = $installed.Examples[$Name]
        $run | Should -Not -BeNullOrEmpty -Because "Get-Command in the fresh process should list $Name"
        if ($run.Status -eq 'Skipped') {
            Set-ItResult -Skipped -Because "$Name has no example that runs without root ($($run.Reason))"
            return
        }
        $run.Status | Should -Be 'Passed' -Because "'$($run.Title)' failed: $($run.Error)"
    }

    It "leaves the caller's PSResourceGet repositories as they were" {
        Get-RepositoryStoreState | Should -Be $repositoriesBefore
        Test-Path (Join-Path $work 'installer/.local/share/PSResourceGet/PSResourceRepository.xml') | Should -BeTrue -Because 'the fresh process kept its repositories in its own HOME'
    }
}
