import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Service } from '@hall/shared';
import type { PageProps } from '../../App';
import { useCatalogueData, type CatalogueData } from './data';
import { blankService, ServiceEditor } from './ServiceEditor';
import { SharedMaterialsTab } from './SharedMaterialsTab';
import { WorkbookTab } from './WorkbookTab';
import './catalogue.css';

const TABS = ['services', 'materials', 'themes', 'workbook'] as const;
type Tab = (typeof TABS)[number];

interface Filter {
  text: string;
  theme: string;
  tag: string;
}

function matches(service: Service, filter: Filter): boolean {
  const text = filter.text.trim().toLowerCase();
  return (
    (!filter.theme || service.theme === filter.theme) &&
    (!filter.tag || (service.tags ?? []).includes(filter.tag)) &&
    (!text || service.name.zh.toLowerCase().includes(text) || service.code.toLowerCase().includes(text))
  );
}

/** 事项目录 (issue 20): services with their guides and materials, the shared library, themes and tags, the workbook. */
export function CataloguePage({ session, hallId, onConfigChanged }: PageProps) {
  const { t } = useTranslation();
  const data = useCatalogueData(session, hallId);
  const [tab, setTab] = useState<Tab>('services');
  const [filter, setFilter] = useState<Filter>({ text: '', theme: '', tag: '' });
  // `pick` counts choices from the list: choosing a service again reloads it as the list has it.
  const [editing, setEditing] = useState<{ service: Service; isNew: boolean; pick: number }>();
  const changed = () => {
    data.reload();
    onConfigChanged();
  };
  const show = (patch: Partial<Filter>) => {
    setFilter({ text: '', theme: '', tag: '', ...patch });
    setTab('services');
  };

  return (
    <div className="catalogue" data-testid="catalogue">
      <div className="cat-tabs" role="tablist">
        {TABS.map((name) => (
          <button key={name} type="button" role="tab" aria-selected={tab === name} className={tab === name ? 'active' : ''} data-testid={`catalogue-tab-${name}`} onClick={() => setTab(name)}>
            {t(`catalogue.tabs.${name}`)}
          </button>
        ))}
      </div>
      {tab === 'services' && (
        <div className="cat-services">
          <ServiceList data={data} filter={filter} onFilter={setFilter} selected={editing?.service.id} onPick={(service, isNew) => setEditing({ service, isNew, pick: (editing?.pick ?? 0) + 1 })} />
          {editing && (
            <ServiceEditor
              key={`${editing.service.id}-${editing.pick}`}
              session={session}
              hallId={hallId}
              data={data}
              initial={editing.service}
              isNew={editing.isNew}
              onSaved={(saved) => {
                // The saved service, so that coming back to this tab shows it and not the draft it started from.
                setEditing({ ...editing, service: saved, isNew: false });
                changed();
              }}
            />
          )}
        </div>
      )}
      {tab === 'materials' && <SharedMaterialsTab session={session} hallId={hallId} data={{ ...data, reload: changed }} />}
      {tab === 'themes' && <ThemesTab data={data} onPick={show} />}
      {tab === 'workbook' && <WorkbookTab session={session} hallId={hallId} onImported={changed} />}
    </div>
  );
}

function ServiceList(props: { data: CatalogueData; filter: Filter; onFilter: (f: Filter) => void; selected: string | undefined; onPick: (s: Service, isNew: boolean) => void }) {
  const { t } = useTranslation();
  const { data, filter } = props;
  const shown = data.services.filter((s) => matches(s, filter));
  return (
    <aside className="card cat-list" data-testid="catalogue-list">
      <h2>{t('catalogue.list')}</h2>
      <input aria-label={t('catalogue.search')} placeholder={t('catalogue.search')} value={filter.text} onChange={(e) => props.onFilter({ ...filter, text: e.target.value })} />
      <div className="row">
        <select aria-label={t('catalogue.allThemes')} value={filter.theme} onChange={(e) => props.onFilter({ ...filter, theme: e.target.value })}>
          <option value="">{t('catalogue.allThemes')}</option>
          {data.themes.map((th) => (
            <option key={th.theme} value={th.theme}>
              {th.theme}
            </option>
          ))}
        </select>
        <select aria-label={t('catalogue.allTags')} value={filter.tag} onChange={(e) => props.onFilter({ ...filter, tag: e.target.value })}>
          <option value="">{t('catalogue.allTags')}</option>
          {data.tags.map((tag) => (
            <option key={tag.tag} value={tag.tag}>
              {tag.tag}
            </option>
          ))}
        </select>
      </div>
      <button type="button" className="primary" data-testid="new-service" disabled={!data.loaded} onClick={() => props.onPick(blankService(data), true)}>
        {t('catalogue.newService')}
      </button>
      {shown.length === 0 && <p className="muted">{t('catalogue.empty')}</p>}
      {shown.map((s) => (
        <button key={s.id} type="button" className={s.id === props.selected ? 'active' : ''} data-testid={`catalogue-service-${s.code}`} onClick={() => props.onPick(structuredClone(s), false)}>
          <span>{s.name.zh}</span>
          <span className="muted cat-meta">
            {s.theme}
            {(s.tags ?? []).map((tag) => (
              <span key={tag} className="cat-tag">
                {tag}
              </span>
            ))}
          </span>
        </button>
      ))}
    </aside>
  );
}

function ThemesTab(props: { data: CatalogueData; onPick: (patch: Partial<Filter>) => void }) {
  const { t } = useTranslation();
  return (
    <section className="card" data-testid="catalogue-themes">
      <p className="muted">{t('catalogue.themes.hint')}</p>
      <h2>{t('catalogue.themes.heading')}</h2>
      <div className="cat-chips">
        {props.data.themes.map((th) => (
          <button key={th.theme} type="button" data-testid={`theme-${th.theme}`} onClick={() => props.onPick({ theme: th.theme })}>
            {th.theme} <span className="muted">{t('catalogue.themes.count', { count: th.serviceCount })}</span>
          </button>
        ))}
      </div>
      <h2>{t('catalogue.themes.tags')}</h2>
      {props.data.tags.length === 0 && <p className="muted">{t('catalogue.themes.noTags')}</p>}
      <div className="cat-chips">
        {props.data.tags.map((tag) => (
          <button key={tag.tag} type="button" data-testid={`tag-${tag.tag}`} onClick={() => props.onPick({ tag: tag.tag })}>
            {tag.tag} <span className="muted">{t('catalogue.themes.count', { count: tag.serviceCount })}</span>
          </button>
        ))}
      </div>
    </section>
  );
}
