/** 办理地点 as printed on guides and one-time notices; counter numbers match demo/hall.ts. */
export const HOUSEHOLD_PLACE = '汕尾市公安局政务服务中心一楼户政窗口(1号综合窗口、2–3号户政窗口)';
export const EXIT_ENTRY_PLACE = '汕尾市公安局政务服务中心一楼出入境窗口(1号综合窗口、4号出入境窗口)';
export const VEHICLE_PLACE = '汕尾市公安局政务服务中心一楼车驾管窗口(1号综合窗口、5号车驾管窗口)';
