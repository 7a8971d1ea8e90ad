# Invoke-IsolatedPwsh, shared by build.ps1 (Package) and TestHelpers.psm1 (the package tests):
# dot-source this file to define it.

# Runs a fresh `pwsh -NoProfile` (this same PowerShell) whose HOME, XDG dirs and PSModulePath lie in
# $Sandbox only, so PSResourceGet repositories and installed modules there never reach the user's.
# Under `dotnet pwsh` the pwsh.dll is run directly: `dotnet pwsh` would look for the local tool
# under the moved HOME. Returns the exit code; the output goes to the host.
function Invoke-IsolatedPwsh([string] $Sandbox, [string[]] $Arguments) {
    $isolated = @{
        HOME            = $Sandbox
        XDG_DATA_HOME   = Join-Path $Sandbox '.local/share'
        XDG_CONFIG_HOME = Join-Path $Sandbox '.config'
        XDG_CACHE_HOME  = Join-Path $Sandbox '.cache'
        PSModulePath    = $null
    }
    $saved = @{}
    # .NET reports LocalApplicationData as '' when the folder is missing, and PSResourceGet then
    # writes its repository store relative to the working directory: create the folders first.
    foreach ($dir in 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME') { $null = New-Item -ItemType Directory $isolated[$dir] -Force }
    foreach ($name in $isolated.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $isolated[$name])
    }
    try {
        $processPath = [Environment]::ProcessPath
        $pwsh = if ((Split-Path -Leaf $processPath) -like 'dotnet*') { @($processPath, (Join-Path $PSHOME 'pwsh.dll')) } else { @($processPath) }
        # A failing child is reported by its exit code, not as an error of the caller.
        $PSNativeCommandUseErrorActionPreference = $false
        & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive @Arguments | Out-Host
        return $LASTEXITCODE
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}
