import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseWork } from '@hall/shared';
import { useRoleStation } from '@hall/ui';
import { findDocumentBox } from './autoCrop';
import { placePage } from './pagePlacement';
import { useDesk } from './state';

/** Frames are analysed at this width: enough to find the paper's edges, cheap on a counter PC. */
const ANALYSIS_WIDTH = 320;

/**
 * Captures one frame and returns the page cut out and straightened (deskewed) as a JPEG:
 * the page is found on a small copy, then the full frame is drawn rotated so the page's
 * edges run square. Without a clear page, the plain crop to what differs from the desk.
 */
function captureCropped(video: HTMLVideoElement): { base64: string; width: number; height: number } {
  const width = video.videoWidth;
  const height = video.videoHeight;
  const small = document.createElement('canvas');
  const scale = ANALYSIS_WIDTH / width;
  small.width = ANALYSIS_WIDTH;
  small.height = Math.max(1, Math.round(height * scale));
  const sctx = small.getContext('2d', { willReadFrequently: true });
  if (!sctx) throw new Error('no 2D canvas');
  sctx.drawImage(video, 0, 0, small.width, small.height);
  const pixels = sctx.getImageData(0, 0, small.width, small.height).data;
  const out = document.createElement('canvas');
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  const page = placePage(pixels, small.width, small.height, 1 / scale);
  if (page) {
    out.width = page.width;
    out.height = page.height;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.translate(out.width / 2, out.height / 2);
    ctx.rotate(-page.angle);
    ctx.translate(-page.center.x, -page.center.y);
    ctx.drawImage(video, 0, 0);
  } else {
    const box = findDocumentBox(pixels, small.width, small.height);
    const crop = { x: Math.round(box.x / scale), y: Math.round(box.y / scale), w: Math.round(box.width / scale), h: Math.round(box.height / scale) };
    out.width = Math.max(16, crop.w);
    out.height = Math.max(16, crop.h);
    ctx.drawImage(video, crop.x, crop.y, crop.w, crop.h, 0, 0, out.width, out.height);
  }
  const url = out.toDataURL('image/jpeg', 0.85);
  return { base64: url.slice(url.indexOf(',') + 1), width: out.width, height: out.height };
}

export function Capture({ work, onChange }: { work: CaseWork; onChange: (w: CaseWork) => void }) {
  const { t } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { run } = useDesk();
  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream>();
  const [cameraError, setCameraError] = useState<string>();
  const [materialId, setMaterialId] = useState(work.checklist[0]?.materialId ?? '');
  const [thumbs, setThumbs] = useState<Record<string, string>>({});
  const [pdfUrl, setPdfUrl] = useState<string>();

  useEffect(() => () => stream?.getTracks().forEach((track) => track.stop()), [stream]);
  useEffect(() => {
    if (video.current && stream) {
      video.current.srcObject = stream;
      void video.current.play().catch(() => undefined);
    }
  }, [stream]);
  const pageIds = work.checklist.flatMap((m) => m.pages.map((p) => p.id)).join(',');
  useEffect(() => {
    let live = true;
    for (const id of pageIds.split(',').filter(Boolean)) {
      if (thumbs[id]) continue;
      void station.call('capture.pageImage', { pageId: id }).then(
        (img) => live && setThumbs((th) => ({ ...th, [id]: `data:${img.mime};base64,${img.dataBase64}` })),
        () => undefined,
      );
    }
    return () => {
      live = false;
    };
  }, [pageIds, station]);

  const start = async () => {
    setCameraError(undefined);
    try {
      setStream(await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 960 } }, audio: false }));
    } catch (error) {
      setCameraError(error instanceof Error ? error.message : String(error));
    }
  };
  const stop = () => {
    stream?.getTracks().forEach((track) => track.stop());
    setStream(undefined);
  };
  const shoot = async () => {
    const v = video.current;
    if (!v || v.videoWidth === 0 || !materialId) return;
    const page = captureCropped(v);
    const next = await run(() => station.call('capture.addPage', { caseId: work.caseId, materialId, mime: 'image/jpeg', dataBase64: page.base64, source: 'camera' }));
    if (next) onChange(next);
  };
  const scan = async () => {
    const next = await run(() => station.call('capture.scan', { caseId: work.caseId, materialId, pages: 1 }));
    if (next) onChange(next);
  };
  const move = async (material: string, ids: string[], from: number, to: number) => {
    const order = [...ids];
    const [moved] = order.splice(from, 1);
    if (moved === undefined || to < 0 || to > order.length) return;
    order.splice(to, 0, moved);
    const next = await run(() => station.call('capture.reorder', { caseId: work.caseId, materialId: material, pageIds: order }));
    if (next) onChange(next);
  };
  const remove = async (pageId: string) => {
    const next = await run(() => station.call('capture.removePage', { caseId: work.caseId, pageId }));
    if (next) onChange(next);
  };
  const viewPdf = async (material: string) => {
    const pdf = await run(() => station.call('capture.pdf', { caseId: work.caseId, materialId: material }));
    if (!pdf) return;
    const bytes = Uint8Array.from(atob(pdf.dataBase64), (c) => c.charCodeAt(0));
    if (pdfUrl) URL.revokeObjectURL(pdfUrl);
    setPdfUrl(URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' })));
  };

  return (
    <div className="capture" data-testid="capture">
      <h3>{t('capture.heading')}</h3>
      <div className="row">
        <label>
          {t('capture.material')}
          <select data-testid="capture-material" value={materialId} onChange={(e) => setMaterialId(e.target.value)}>
            {work.checklist.map((m) => (
              <option key={m.materialId} value={m.materialId}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        {stream ? (
          <button className="btn" data-testid="camera-stop" onClick={stop}>
            {t('capture.stop')}
          </button>
        ) : (
          <button className="btn" data-testid="camera-start" onClick={() => void start()}>
            {t('capture.start')}
          </button>
        )}
        <button className="btn primary" data-testid="camera-shoot" disabled={!stream} onClick={() => void shoot()}>
          {t('capture.shoot')}
        </button>
        <button className="btn" data-testid="scanner-scan" onClick={() => void scan()}>
          {t('capture.scan')}
        </button>
      </div>
      {cameraError && <p className="error">{t('capture.noCamera', { message: cameraError })}</p>}
      {stream && <video ref={video} className="camera-preview" data-testid="camera-preview" muted playsInline />}
      {work.checklist
        .filter((m) => m.pages.length > 0)
        .map((m) => {
          const ids = [...m.pages].sort((a, b) => a.position - b.position).map((p) => p.id);
          return (
            <div key={m.materialId} className="pages" data-testid={`pages-${m.materialId}`}>
              <div className="pages-head">
                <b title={m.name}>{m.name}</b>
                <span className="pill">{t('capture.pages', { count: ids.length })}</span>
                <button className="btn small" data-testid={`pdf-${m.materialId}`} onClick={() => void viewPdf(m.materialId)}>
                  {t('capture.viewPdf')}
                </button>
              </div>
              <ol className="thumbs">
                {ids.map((id, i) => (
                  <li key={id} data-testid="page" data-page-id={id}>
                    {thumbs[id] ? <img src={thumbs[id]} alt={`${m.name} ${i + 1}`} /> : <span className="thumb-ph" />}
                    <div className="thumb-actions">
                      <button className="btn small" disabled={i === 0} onClick={() => void move(m.materialId, ids, i, i - 1)}>
                        ↑
                      </button>
                      <button className="btn small" data-testid="page-down" disabled={i === ids.length - 1} onClick={() => void move(m.materialId, ids, i, i + 1)}>
                        ↓
                      </button>
                      <button className="btn small" onClick={() => void remove(id)}>
                        ✕
                      </button>
                    </div>
                  </li>
                ))}
              </ol>
            </div>
          );
        })}
      {pdfUrl && (
        <div className="pdf-viewer">
          <iframe title="pdf" src={pdfUrl} data-testid="pdf-frame" />
          <button className="btn small" onClick={() => setPdfUrl(undefined)}>
            ✕
          </button>
        </div>
      )}
    </div>
  );
}
