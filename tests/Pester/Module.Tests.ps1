BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:manifestPath = Get-ModuleUnderTest
    Import-Module $manifestPath -Force
}

Describe 'The built module' {
    It 'has a valid manifest whose CmdletsToExport are exactly the cmdlets the assembly defines' {
        $manifest = Test-ModuleManifest $manifestPath
        $defined = (Get-Command -Module SnatTools -CommandType Cmdlet).Name | Sort-Object
        $exported = $manifest.ExportedCmdlets.Keys | Sort-Object
        $exported | Should -Not -BeNullOrEmpty
        $exported | Should -Be $defined
    }

    It 'lists every cmdlet explicitly (no wildcard) in CmdletsToExport' {
        $data = Import-PowerShellDataFile $manifestPath
        $data.CmdletsToExport | Should -Not -Contain '*'
        $data.CmdletsToExport | ForEach-Object { $_ | Should -Not -Match '\*' }
    }

    It 'gives every output type a default table view' {
        $formats = [xml](Get-Content -Raw (Join-Path (Split-Path $manifestPath) 'SnatTools.format.ps1xml'))
        $viewed = $formats.Configuration.ViewDefinitions.View |
            Where-Object { $_.TableControl } | ForEach-Object { $_.ViewSelectedBy.TypeName }
        foreach ($command in Get-Command -Module SnatTools -CommandType Cmdlet) {
            foreach ($type in $command.OutputType.Type) {
                $viewed | Should -Contain $type.FullName -Because "$($command.Name) writes $($type.FullName)"
            }
        }
    }
}
