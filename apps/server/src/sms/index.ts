import type { FastifyPluginAsync } from 'fastify';
import { SmsDispatcher } from './outbox';
import { HttpSmsProvider } from './provider';

export { enqueueSms, SmsDispatcher, DEFAULT_DISPATCH, smsDb, type DispatchPolicy } from './outbox';
export { HttpSmsProvider, type SmsProvider, type SmsSendResult } from './provider';
export { SmsGatewaySimulator, type RecordedSms } from './simulator';
export { renderSms, SMS_TEMPLATES, type SmsTemplate } from './templates';
export { smsTables } from './migration';

/**
 * Runs the SMS outbox when a gateway is configured (HALL_SMS_GATEWAY_URL, optional
 * HALL_SMS_GATEWAY_TOKEN and HALL_SMS_INTERVAL_MS). Without one, messages wait in the
 * outbox and are sent once a gateway is configured: nothing is lost.
 */
export const smsPlugin: FastifyPluginAsync = async (app) => {
  const url = process.env.HALL_SMS_GATEWAY_URL;
  if (!url) return;
  const token = process.env.HALL_SMS_GATEWAY_TOKEN;
  const provider = new HttpSmsProvider(url, token ? { token } : {});
  const dispatcher = new SmsDispatcher(app.hall.db, app.hall.dataKeys, provider, app.hall.clock, app.log);
  app.addHook('onReady', async () => dispatcher.start(Number(process.env.HALL_SMS_INTERVAL_MS ?? 2000)));
  app.addHook('onClose', async () => dispatcher.stop());
};
