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


# --- Child PowerShell processes (Invoke-SnatAudit runs Pester itself, so it cannot run inside
#     this Pester run; a fresh process is also how CI and operators call it).

function Get-TestPSModulePath {
    # Pester installed the ordinary way (a Pester/<version> folder), plus the module under test by name.
    $out = Split-Path (Split-Path (Split-Path (Get-ModuleUnderTest)))
    $pester = Get-Module Pester | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) { throw 'Pester is not loaded: run the tests through build.ps1 Test.' }
    $modules = Join-Path $out 'test-modules'
    $folder = Join-Path $modules "Pester/$($pester.Version)"
    if (-not (Test-Path $folder)) {
        $null = New-Item -ItemType Directory (Split-Path $folder) -Force
        $null = New-Item -ItemType SymbolicLink -Path $folder -Target $pester.ModuleBase
    }
    return "$modules$([IO.Path]::PathSeparator)$out"
}

function Get-PwshCommandLine {
    # This process is either pwsh itself or `dotnet pwsh.dll` (the dotnet tool).
    $process = [Environment]::ProcessPath
    if ((Split-Path -Leaf $process) -eq 'dotnet') { return @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    return @($process)
}

# -Prefix runs the pwsh under another command (such as strace), which is then the process returned.
function Start-TestPwsh([string] $Command, [string] $PSModulePath = (Get-TestPSModulePath), [string] $Namespace, [string[]] $Prefix) {
    $line = @(Get-PwshCommandLine) + @('-NoProfile', '-NonInteractive', '-Command', $Command)
    if ($Namespace) { $line = @('/usr/bin/ip', 'netns', 'exec', $Namespace) + $line }
    if ($Prefix) { $line = $Prefix + $line }
    $info = [Diagnostics.ProcessStartInfo]::new($line[0])
    foreach ($argument in $line[1..($line.Count - 1)]) { $info.ArgumentList.Add($argument) }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.Environment['PSModulePath'] = $PSModulePath
    $info.Environment['NO_COLOR'] = '1'
    $process = [Diagnostics.Process]::Start($info)
    return [pscustomobject]@{
        Process = $process
        Output  = $process.StandardOutput.ReadToEndAsync()
        Errors  = $process.StandardError.ReadToEndAsync()
    }
}

function Wait-TestPwsh($Started, [int] $TimeoutSeconds = 180) {
    if (-not $Started.Process.WaitForExit($TimeoutSeconds * 1000)) {
        $Started.Process.Kill($true)
        throw "The child PowerShell did not finish within $TimeoutSeconds s."
    }
    $Started.Process.WaitForExit()
    return [pscustomobject]@{
        ExitCode = $Started.Process.ExitCode
        Output   = $Started.Output.GetAwaiter().GetResult()
        Errors   = $Started.Errors.GetAwaiter().GetResult()
    }
}

function Invoke-TestPwsh([string] $Command, [string] $PSModulePath = (Get-TestPSModulePath), [string] $Namespace, [int] $TimeoutSeconds = 180) {
    Wait-TestPwsh (Start-TestPwsh -Command $Command -PSModulePath $PSModulePath -Namespace $Namespace) -TimeoutSeconds $TimeoutSeconds
}

Export-ModuleMember -Function Get-TestPSModulePath, Get-PwshCommandLine, Start-TestPwsh, Wait-TestPwsh, Invoke-TestPwsh
. (Join-Path $PSScriptRoot 'IsolatedPwsh.ps1')

# The problems an XML schema finds in a file (none: valid), e.g. Pester's JUnit and NUnit schemas for audit reports.
function Test-XmlAgainstSchema([string] $Path, [string] $Schema) {
    $settings = [Xml.XmlReaderSettings]::new()
    $settings.ValidationType = [Xml.ValidationType]::Schema
    $null = $settings.Schemas.Add($null, $Schema)
    $problems = [Collections.Generic.List[string]]::new()
    $settings.add_ValidationEventHandler({ param($sender, $e) $problems.Add($e.Message) })
    $reader = [Xml.XmlReader]::Create($Path, $settings)
    try { while ($reader.Read()) { } } finally { $reader.Dispose() }
    return $problems
}

Export-ModuleMember -Function Get-ModuleUnderTest, Test-IsRoot, New-TestNamespace, Remove-TestNamespace, Invoke-InNamespace, Invoke-IsolatedPwsh, Test-XmlAgainstSchema
