@{
    RootModule           = 'SnatTools.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0f3c8e-7d0a-4b8e-9d51-3c2b6a1e4f17'
    Author               = 'SnatTools contributors'
    CompanyName          = 'SnatTools'
    Copyright            = '(c) SnatTools contributors. MIT License.'
    Description          = 'Finds, measures and repairs the Linux SNAT source-port race: masquerade/SNAT rules without random-fully (nftables, iptables-nft, iptables-legacy), conntrack insert_failed per CPU, a port-allocation race model and a live netns lab.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('SnatTools.format.ps1xml')
    TypesToProcess       = @('SnatTools.types.ps1xml')
    CmdletsToExport      = @(
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
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Linux', 'netfilter', 'nftables', 'iptables', 'conntrack', 'SNAT', 'MASQUERADE', 'Kubernetes', 'Docker')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'First release.'
        }
    }
}
