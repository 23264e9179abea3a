export { hallLanKeyRing, hallLanKeyStatus, LAN_KEY_GRACE_MS, newLanKid, rotateHallLanKey, type LanKeyInfo, type LanKeyStatus } from './keys';
export { hallLanKeyTables } from './migration';
export { lanKeyAdminRoutes } from './routes';
