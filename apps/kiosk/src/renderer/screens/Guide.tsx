import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Guide as ServiceGuide } from '@hall/shared';
import { BigButton, localized } from '@hall/ui';
import { useHall } from '../state/catalogue';
import { useSession } from '../state/session';
import { FormPaper } from './FormPaper';
import { Frame } from './Frame';

function GuideSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="guide-section" data-testid={`guide-${id}`}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function timeLimit(guide: ServiceGuide, t: (key: string, options?: Record<string, unknown>) => string): string {
  const days = (count: number) => (count === 0 ? t('materials.onTheSpot') : t('materials.workingDays', { count }));
  return t('guide.days', { statutory: days(guide.statutoryDays), promised: days(guide.promisedDays) });
}

/**
 * 办事指南 in full, as the catalogue publishes it: plain large text the citizen scrolls with a
 * finger, and the blank and sample forms the materials name, opened one at a time.
 */
export function Guide() {
  const { t, i18n } = useTranslation();
  const serviceId = useSession((s) => s.serviceId);
  const catalogue = useHall((s) => s.catalogue);
  const [preview, setPreview] = useState<{ formId: string; sample: boolean }>();
  const service = catalogue?.services.find((x) => x.id === serviceId);
  if (!service || !catalogue) return null;
  const { guide } = service;
  const department = catalogue.departments?.find((d) => d.id === service.departmentId);
  const previewForm = preview ? catalogue.forms.find((f) => f.id === preview.formId) : undefined;
  const withForms = service.materials.filter((m) => m.blankFormRef || m.sampleFormRef);

  if (preview && previewForm) {
    return (
      <Frame title={`${t(preview.sample ? 'guide.sampleForm' : 'guide.blankForm')} · ${localized(previewForm.title, i18n.language)}`} testId="form-preview" onBack={() => setPreview(undefined)}>
        <FormPaper form={previewForm} sample={preview.sample} />
      </Frame>
    );
  }
  return (
    <Frame title={`${t('guide.title')} · ${localized(service.name, i18n.language)}`} testId="guide">
      <div className="guide">
        {(guide.handlingAuthority || department) && (
          <GuideSection id="department" title={t('guide.department')}>
            {/* The office the catalogue names (承办机构) when it names one, else the owning department. */}
            <p>{guide.handlingAuthority || (department && localized(department.name, i18n.language))}</p>
          </GuideSection>
        )}
        <GuideSection id="applicants" title={t('guide.applicants')}>
          <p>{t(`guide.applicantKinds.${guide.applicants}`)}</p>
        </GuideSection>
        <GuideSection id="conditions" title={t('guide.conditions')}>
          <ol>
            {guide.conditions.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ol>
        </GuideSection>
        <GuideSection id="legal-basis" title={t('guide.legalBasis')}>
          <ol>
            {guide.legalBasis.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ol>
        </GuideSection>
        {guide.processSteps.length > 0 && (
          <GuideSection id="process" title={t('guide.process')}>
            <ol className="guide-steps">
              {guide.processSteps.map((step) => (
                <li key={step}>{step}</li>
              ))}
            </ol>
          </GuideSection>
        )}
        <GuideSection id="time-limit" title={t('guide.timeLimit')}>
          <p>{timeLimit(guide, t)}</p>
        </GuideSection>
        <GuideSection id="fees" title={t('guide.fees')}>
          <p>{guide.fees.description || t('guide.free')}</p>
        </GuideSection>
        <GuideSection id="place" title={t('guide.place')}>
          <p>{guide.place}</p>
          {guide.enquiryPhone && <p data-testid="guide-enquiry-phone">{t('guide.enquiryPhone', { phone: guide.enquiryPhone })}</p>}
          {guide.onlineAvailable && <p className="muted">{t('guide.online')}</p>}
        </GuideSection>
        {withForms.length > 0 && (
          <GuideSection id="forms" title={t('guide.forms')}>
            {withForms.map((m) => (
              <div key={m.id} className="guide-form">
                <div>{m.name}</div>
                <div className="guide-form-buttons">
                  {m.blankFormRef && (
                    <BigButton onClick={() => setPreview({ formId: m.blankFormRef ?? '', sample: false })} data-testid={`blank-${m.id}`}>
                      {t('guide.blankForm')}
                    </BigButton>
                  )}
                  {(m.sampleFormRef ?? m.blankFormRef) && (
                    <BigButton onClick={() => setPreview({ formId: m.sampleFormRef ?? m.blankFormRef ?? '', sample: true })} data-testid={`sample-${m.id}`}>
                      {t('guide.sampleForm')}
                    </BigButton>
                  )}
                </div>
              </div>
            ))}
          </GuideSection>
        )}
      </div>
    </Frame>
  );
}
