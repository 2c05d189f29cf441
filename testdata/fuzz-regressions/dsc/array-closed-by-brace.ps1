Configuration C
{
    Import-DscResource -ModuleName Microsoft365DSC
    Node localhost
    {
        IntuneDeviceConfigurationScepCertificatePolicyWindows10 'SCEP'
        {
            KeyUsage = @("digitalSignature", }
        }
    }
}
