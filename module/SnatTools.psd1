@{
    RootModule           = 'SnatTools.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0f3c8e-7d0a-4b8e-9d51-3c2b6a1e4f17'
    Author               = 'SnatTools contributors'
    CompanyName          = 'SnatTools'
    Copyright            = '(c) SnatTools contributors. MIT License.'
    Description          = 'Finds, measures and repairs the Linux SNAT source-port race: masquerade/SNAT rules without random-fully (nftables, iptables-nft, iptables-legacy), conntrack insert_failed per CPU, a port-allocation race model and a live netns lab.'
    # The assemblies target net10.0, which PowerShell 7.6 runs; 7.4 (net8.0) and 7.5 (net9.0) cannot load them.
    PowerShellVersion    = '7.6'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('SnatTools.format.ps1xml')
    TypesToProcess       = @('SnatTools.types.ps1xml')
    CmdletsToExport      = @(
        'Export-SnatMetric'
        'Get-ConntrackStatistics'
        'Get-SnatRule'
        'Get-SnatPortUsage'
        'Get-SnatRaceCalibration'
        'New-SnatRaceLab'
        'Remove-SnatRaceLab'
        'Invoke-SnatAudit'
        'Set-SnatRule'
        'Test-SnatRace'
        'Update-SnatRaceCalibration'
        'Watch-SnatRule'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Linux', 'netfilter', 'nftables', 'iptables', 'conntrack', 'SNAT', 'MASQUERADE', 'Kubernetes', 'Docker')
            ProjectUri   = 'https://github.com/snattools/SnatTools'
            LicenseUri   = 'https://github.com/snattools/SnatTools/blob/main/LICENSE'
            # Invoke-SnatAudit runs Pester 5 or later and checks for it when it runs; the rest of
            # the module works without it, so it is declared here and not in RequiredModules.
            ExternalModuleDependencies = @('Pester')
            ReleaseNotes = 'First release.'
        }
    }
}
