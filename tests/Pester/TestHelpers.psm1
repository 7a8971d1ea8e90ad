# Shared by the Pester tests: the module under test and the lab conventions (namespaces named
# snattools-<purpose>-<random>, always removed; 198.18.0.0/15 and 2001:db8::/32 only).

function Get-ModuleUnderTest {
    if (-not $env:SNATTOOLS_MODULE) { throw 'SNATTOOLS_MODULE is not set: run the tests through build.ps1 Test.' }
    return $env:SNATTOOLS_MODULE
}

function Test-IsRoot { return (& id -u) -eq '0' }

function New-TestNamespace([string] $Purpose) {
    $name = 'snattools-{0}-{1}' -f $Purpose, ([guid]::NewGuid().ToString('N').Substring(0, 8))
    & ip netns add $name
    if ($LASTEXITCODE -ne 0) { throw "ip netns add $name failed" }
    & ip -n $name link set lo up
    return $name
}

function Remove-TestNamespace([string] $Name) {
    if ($Name) { & ip netns del $Name 2>$null }
}

function Invoke-InNamespace([string] $Name, [string] $Command, [string[]] $Arguments) {
    $output = & ip netns exec $Name $Command @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "ip netns exec $Name $Command $($Arguments -join ' ') failed: $output" }
    return $output
}

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
        & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive @Arguments | Out-Host
        return $LASTEXITCODE
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

Export-ModuleMember -Function Get-ModuleUnderTest, Test-IsRoot, New-TestNamespace, Remove-TestNamespace, Invoke-InNamespace, Invoke-IsolatedPwsh
