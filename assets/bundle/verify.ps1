# Checks every file of this bundle against SHA256SUMS with Get-FileHash, as LES-MEG.txt /
# READ ME describes. The signature check needs OpenSSL 3 (step 3 of LES-MEG.txt).
# Kontrollerer hver fil mot SHA256SUMS. Signaturen kontrolleres med OpenSSL (punkt 3).
# Case / sak: {{CASE}}
$ErrorActionPreference = 'Stop'
Set-Location -LiteralPath $PSScriptRoot
$failed = 0
foreach ($line in Get-Content -Encoding UTF8 -LiteralPath 'SHA256SUMS') {
    $hash, $path = $line -split '  ', 2
    $actual = (Get-FileHash -Algorithm SHA256 -LiteralPath $path).Hash.ToLowerInvariant()
    if ($actual -eq $hash) { Write-Output "${path}: OK" } else { Write-Output "${path}: FAILED"; $failed++ }
}
if ($failed -gt 0) { Write-Output "$failed file(s) FAILED"; exit 1 }
Write-Output 'All files OK / alle filer OK'
