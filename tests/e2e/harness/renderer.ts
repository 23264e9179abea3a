import { buildRendererIfStale } from '../../../scripts/renderers';

/**
 * The app's built renderer directory, built with Vite first when missing or older than its
 * sources, so a test never runs yesterday's UI.
 */
export function builtRenderer(app: 'kiosk' | 'counter' | 'display'): string {
  return buildRendererIfStale(app);
}
