# Keeps one station app running on a Windows hall PC: started at logon of the station's
# Windows account by the scheduled task the installer registers (\Hall\hall-<app>), it
# relaunches the app whenever it exits (crash, or quitAndInstall after an update).
param([Parameter(Mandatory = $true)][ValidateSet('kiosk', 'counter', 'display')][string]$App)
$exe = Join-Path $PSScriptRoot "..\hall-$App.exe"
$log = Join-Path $env:ProgramData "Hall\$App\watchdog.log"
$env:HALL_STATION_CONFIG = Join-Path $env:ProgramData "Hall\$App\station.json"
while ($true) {
  $started = Get-Date
  $process = Start-Process -FilePath $exe -PassThru -Wait
  Add-Content -Path $log -Value ("{0:o} hall-{1} exited with code {2}" -f (Get-Date), $App, $process.ExitCode)
  # A crash loop backs off instead of spinning the CPU; a long-running app restarts at once.
  if (((Get-Date) - $started).TotalSeconds -lt 30) { Start-Sleep -Seconds 10 } else { Start-Sleep -Seconds 2 }
}
