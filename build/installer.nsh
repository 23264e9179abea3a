; NSIS additions for the per-machine installer of hall-<app> (electron-builder `nsis.include`).
; Creates %ProgramData%\Hall\<app> (config + data, kept on uninstall) and registers a
; scheduled task that starts the station at logon and keeps it running (hall-watchdog.ps1).

!macro customInstall
  SetShellVarContext all
  CreateDirectory "$APPDATA\Hall\${PRODUCT_NAME}"
  ; PRODUCT_NAME is hall-<app>; the data directory uses the bare app name.
  StrCpy $0 "${PRODUCT_NAME}" "" 5
  CreateDirectory "$APPDATA\Hall\$0"
  CreateDirectory "$APPDATA\Hall\$0\data"
  IfFileExists "$APPDATA\Hall\$0\station.json" +2 0
    CopyFiles /SILENT "$INSTDIR\resources\station.example.json" "$APPDATA\Hall\$0\station.example.json"
  nsExec::ExecToLog 'powershell.exe -NoProfile -ExecutionPolicy Bypass -Command "$$a = New-ScheduledTaskAction -Execute powershell.exe -Argument (\"-NoProfile -WindowStyle Hidden -ExecutionPolicy Bypass -File `\"$INSTDIR\resources\hall-watchdog.ps1`\" -App $0\"); $$t = New-ScheduledTaskTrigger -AtLogOn; $$s = New-ScheduledTaskSettingsSet -ExecutionTimeLimit ([TimeSpan]::Zero) -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1) -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries; Register-ScheduledTask -TaskPath \Hall\ -TaskName ${PRODUCT_NAME} -Action $$a -Trigger $$t -Settings $$s -Force | Out-Null"'
!macroend

!macro customUnInstall
  nsExec::ExecToLog 'schtasks.exe /Delete /TN "\Hall\${PRODUCT_NAME}" /F'
!macroend
