import { describe, expect, it } from 'vitest';
import { diffServices } from './serviceDiff';
import { applySharedMaterials, type SharedMaterial } from './sharedMaterials';
import { makeTestService } from './testService';

describe('diffServices', () => {
  it('names each changed field with its value before and after, and nothing unchanged', () => {
    const before = makeTestService();
    const after = makeTestService({ theme: '证明', tags: ['高频'], guide: { ...before.guide, promisedDays: 3, conditions: ['本市户籍人员', '年满16周岁'] } });
    expect(diffServices(before, after)).toEqual({
      fields: [
        { field: 'theme', before: '户籍', after: '证明' },
        { field: 'tags', before: '', after: '高频' },
        { field: 'guide.conditions', before: '本市户籍人员', after: '本市户籍人员\n年满16周岁' },
        { field: 'guide.promisedDays', before: '0', after: '3' },
      ],
      materials: [],
    });
    expect(diffServices(before, structuredClone(before))).toEqual({ fields: [], materials: [] });
  });

  it('lists materials added, removed and changed by id', () => {
    const before = makeTestService();
    const [first, second, ...rest] = before.materials;
    const after = makeTestService({
      materials: [{ ...first!, copies: 2 }, ...rest, { id: 'm-photo', name: '近期照片', originals: 2, copies: 0, form: 'paper', required: true, reviewPoints: [] }],
    });
    expect(diffServices(before, after).materials).toEqual([
      { kind: 'changed', materialId: first!.id, name: first!.name, changes: [{ field: 'copies', before: '0', after: '2' }] },
      { kind: 'added', materialId: 'm-photo', name: '近期照片' },
      { kind: 'removed', materialId: second!.id, name: second!.name },
    ]);
  });
});

describe('applySharedMaterials', () => {
  const library = new Map<string, SharedMaterial>([['lib-id', { id: 'lib-id', name: '居民身份证（原件）', originals: 1, copies: 1, form: 'paper', reviewPoints: ['在有效期内'] }]]);

  it('refreshes a drawn material from the library but keeps its id and whether it is required', () => {
    const service = makeTestService();
    service.materials[0] = { ...service.materials[0]!, required: false, sharedId: 'lib-id', name: 'stale' };
    const { service: fresh, unknown } = applySharedMaterials(service, library);
    expect(unknown).toEqual([]);
    expect(fresh.materials[0]).toEqual({ id: service.materials[0].id, required: false, sharedId: 'lib-id', name: '居民身份证（原件）', originals: 1, copies: 1, form: 'paper', reviewPoints: ['在有效期内'] });
    expect(fresh.materials.slice(1)).toEqual(service.materials.slice(1));
  });

  it('reports library ids it does not hold', () => {
    const service = makeTestService();
    service.materials[1] = { ...service.materials[1]!, sharedId: 'lib-gone' };
    expect(applySharedMaterials(service, library).unknown).toEqual(['lib-gone']);
  });
});
