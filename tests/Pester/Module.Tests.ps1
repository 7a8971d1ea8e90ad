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

    It 'passes Test-ModuleManifest without a warning, and asks for the PowerShell its assemblies run on' {
        $manifest = Test-ModuleManifest $manifestPath -WarningVariable warnings -ErrorVariable problems
        $warnings | Should -BeNullOrEmpty
        $problems | Should -BeNullOrEmpty
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        # PowerShell 7.4 runs on .NET 8, 7.5 on .NET 9, 7.6 on .NET 10: the module's own assembly decides.
        $framework = [SnatTools.SnatToolsSessionState].Assembly.GetCustomAttributes([Runtime.Versioning.TargetFrameworkAttribute], $false)[0].FrameworkName
        $runtimeFor = @{ '.NETCoreApp,Version=v8.0' = '7.4'; '.NETCoreApp,Version=v9.0' = '7.5'; '.NETCoreApp,Version=v10.0' = '7.6' }
        $runtimeFor.Keys | Should -Contain $framework -Because 'a new target framework needs its PowerShell version here and in the manifest'
        $manifest.PowerShellVersion | Should -Be ([version] $runtimeFor[$framework])
    }

    It 'declares Pester (which Invoke-SnatAudit needs) without requiring it at import' {
        $data = Import-PowerShellDataFile $manifestPath
        $data.PrivateData.PSData.ExternalModuleDependencies | Should -Contain 'Pester'
        $data.RequiredModules | Should -BeNullOrEmpty -Because 'only Invoke-SnatAudit needs Pester, and it checks for it when it runs'
    }

    It 'names the project and the MIT licence the repository and the package carry' {
        $data = Import-PowerShellDataFile $manifestPath
        [uri] $data.PrivateData.PSData.ProjectUri | Should -Not -BeNullOrEmpty
        $data.PrivateData.PSData.ProjectUri | Should -Match '^https://'
        $data.PrivateData.PSData.LicenseUri | Should -Be ($data.PrivateData.PSData.ProjectUri + '/blob/main/LICENSE')
        $repository = Join-Path $PSScriptRoot '../..'
        ([xml] (Get-Content -Raw (Join-Path $repository 'Directory.Build.props'))).Project.PropertyGroup.Copyright | Should -Be 'MIT'
        foreach ($license in (Join-Path $repository 'LICENSE'), (Join-Path (Split-Path $manifestPath) 'LICENSE')) {
            (Get-Content $license -TotalCount 1) | Should -Be 'MIT License'
            Get-Content -Raw $license | Should -Match 'Permission is hereby granted, free of charge'
        }
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
            # Text (Export-SnatMetric's exposition format) needs no view.
            foreach ($type in $command.OutputType.Type | Where-Object { $_ -and $_ -ne [string] }) {
                $viewed | Should -Contain $type.FullName -Because "$($command.Name) writes $($type.FullName)"
            }
        }
    }
}
