import { useTranslation } from 'react-i18next';
import { evaluateDecisionTree, type Material } from '@hall/shared';
import { BigButton, localized, useRoleStation } from '@hall/ui';
import { useHall } from '../state/catalogue';
import { useFlow } from '../state/flow';
import { useSession } from '../state/session';
import { Frame } from './Frame';

function MaterialItem({ material }: { material: Material }) {
  const { t, i18n } = useTranslation();
  const forms = useHall((s) => s.catalogue?.forms);
  // A form reference names a catalogue form: its title, not its id (the guide previews it).
  const formName = (ref: string) => {
    const form = forms?.find((f) => f.id === ref);
    return form ? localized(form.title, i18n.language) : ref;
  };
  return (
    <li className="material" data-testid={`material-${material.id}`}>
      <div className="material-name">
        {material.name}
        {!material.required && <span className="mark-optional">{t('materials.optional')}</span>}
      </div>
      <div className="material-meta">
        {material.originals > 0 && <span>{t('materials.original', { count: material.originals })}</span>}
        {material.copies > 0 && <span>{t('materials.copy', { count: material.copies })}</span>}
        {material.blankFormRef && <span className="form-ref">{t('materials.blankForm', { ref: formName(material.blankFormRef) })}</span>}
        {material.sampleFormRef && <span className="form-ref">{t('materials.sampleForm', { ref: formName(material.sampleFormRef) })}</span>}
      </div>
      {material.note && <div className="muted">{material.note}</div>}
    </li>
  );
}

/** The end of the questions: exactly what to bring, the notice to print, and what next. */
export function Materials() {
  const { t, i18n } = useTranslation();
  const station = useRoleStation<'kiosk'>();
  const serviceId = useSession((s) => s.serviceId);
  const answers = useSession((s) => s.answers);
  const notice = useSession((s) => s.notice);
  const busy = useSession((s) => s.busy);
  const service = useHall((s) => s.catalogue?.services.find((x) => x.id === serviceId));
  const { afterMaterials } = useFlow();
  if (!service) return null;
  const evaluation = evaluateDecisionTree(service, answers, { mode: 'final' });
  const situation = evaluation.outcome.type === 'situation' ? evaluation.outcome.situation : undefined;
  const formId = evaluation.formId ?? service.formId;
  const { guide } = service;

  const printNotice = async () => {
    const s = useSession.getState();
    s.set({ busy: true });
    try {
      const outcome = await station.call('kiosk.printNotice', {
        serviceId: service.id,
        ...(situation ? { situationId: situation.id } : {}),
        answers,
      });
      s.set({ busy: false, notice: outcome });
    } catch {
      s.set({ busy: false, error: 'errors.generic' });
    }
  };
  const stepBack = () => {
    const s = useSession.getState();
    const last = evaluation.path.at(-1);
    if (last) {
      const { [last.question.id]: _dropped, ...rest } = s.answers;
      s.setAnswers(rest);
    }
    s.back();
  };
  return (
    <Frame
      title={`${t('materials.title')} · ${localized(service.name, i18n.language)}`}
      testId="materials"
      onBack={stepBack}
      footer={
        <>
          <BigButton disabled={busy} onClick={() => useSession.getState().go('guide')} data-testid="open-guide">
            {t('guide.open')}
          </BigButton>
          <BigButton disabled={busy} onClick={() => void printNotice()} data-testid="print-notice">
            {t('materials.printNotice')}
          </BigButton>
          {formId && (
            <BigButton variant="primary" disabled={busy} onClick={() => afterMaterials('form')} data-testid="fill-form">
              {t('materials.fillForm')}
            </BigButton>
          )}
          <BigButton variant={formId ? 'secondary' : 'primary'} disabled={busy} onClick={() => afterMaterials('ticket')} data-testid="materials-ticket">
            {t('materials.takeTicket')}
          </BigButton>
        </>
      }
    >
      {situation && (
        <p className="situation" data-testid="situation">
          {t('materials.situation', { name: localized(situation.name, i18n.language) })}
        </p>
      )}
      <ol className="material-list">
        {evaluation.materials.map((m) => (
          <MaterialItem key={m.id} material={m} />
        ))}
      </ol>
      <p className="muted guide-line">
        {t('materials.guide', {
          place: guide.place,
          days: guide.promisedDays === 0 ? t('materials.onTheSpot') : t('materials.workingDays', { count: guide.promisedDays }),
          fees: guide.fees.description,
        })}
      </p>
      {notice && (
        <div className={notice.printed ? 'notice ok' : 'notice warn'} role="status" data-testid="notice-status">
          {notice.printed ? t('materials.noticePrinted') : t('ticket.printProblem', { problem: t(`ticket.problems.${notice.problem ?? 'error'}`) })}
        </div>
      )}
    </Frame>
  );
}
