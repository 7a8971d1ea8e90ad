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

Export-ModuleMember -Function Get-ModuleUnderTest, Test-IsRoot, New-TestNamespace, Remove-TestNamespace, Invoke-InNamespace
