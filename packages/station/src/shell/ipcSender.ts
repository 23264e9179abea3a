import { isAppUrl, type AppOrigin } from './origin';

/** The part of Electron's WebFrameMain the sender check reads. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: SenderFrame | null;
}

export interface IpcSender<Contents> {
  readonly contents: Contents;
  /** The frame that sent; null when it has already gone. */
  readonly frame: SenderFrame | null;
  readonly mainFrame: SenderFrame;
}

/** Requests are small; anything larger is not from our renderer. */
export const MAX_REQUEST_BYTES = 256 * 1024;

/**
 * Only the top frame of one of our own windows, showing one of our own pages, may talk to
 * the station: an iframe (even one of ours) or a window something else opened is refused.
 */
export function isTrustedSender<Contents>(sender: IpcSender<Contents>, ownContents: ReadonlySet<Contents>, app: AppOrigin): boolean {
  const { frame } = sender;
  if (!frame || frame !== sender.mainFrame || frame.parent !== null) return false;
  return ownContents.has(sender.contents) && isAppUrl(frame.url, app);
}

/** A request worth parsing: an object of bounded size (the station's dispatch validates the rest). */
export function plausibleRequest(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  try {
    return JSON.stringify(raw).length <= MAX_REQUEST_BYTES;
  } catch {
    return false;
  }
}
