import type { Case, CaseWork, DeliveryMethod, PrintRecord } from '@hall/shared';
import type { RenderedSlip } from '@hall/devices';
import { LocalRejection } from '../../store/store';
import type { CounterCaseWork } from './caseWork';
import type { DepositCodeIssuer, DepositCodeRequest } from './clerkAuth';
import type { CounterIdentities } from './identity';
import type { CounterContext } from './context';
import type { CounterRoleOptions } from './options';
import type { CounterPrinting } from './printing';
import type { CounterSignIn } from './signIn';
import { counterSlip } from './slips';
import { withoutRejection, type CaseWorkData } from './rules/workData';

type DepositCodeOutcome = Awaited<ReturnType<DepositCodeIssuer>>;

/**
 * 领取方式: how an accepted case's result reaches the citizen. The 24-hour locker needs a
 * deposit code for the citizen the clerk identified, printed on a slip for the clerk who
 * later deposits the result.
 */
export class CounterDelivery {
  constructor(
    private readonly context: CounterContext,
    private readonly signIn: CounterSignIn,
    private readonly identities: CounterIdentities,
    private readonly caseWork: CounterCaseWork,
    private readonly printing: CounterPrinting,
    private readonly options: Pick<CounterRoleOptions, 'depositCodes' | 'offlineDepositCodes' | 'online'>,
  ) {}

  async setDelivery(
    caseId: string,
    delivery: DeliveryMethod,
    locker: { phone?: string; size?: 'small' | 'medium' | 'large' } = {},
  ): Promise<{ case: CaseWork; slip?: PrintRecord }> {
    const session = this.signIn.require();
    const kase = this.context.kase(caseId);
    const work = this.context.repository.work(caseId);
    if (work.status !== 'accepted') throw new LocalRejection('not_accepted', 'choose delivery after the case is accepted');
    const commitDelivery = () =>
      this.context.core.store.commit({ type: 'chooseDelivery', payload: { caseId, staffId: session.staffId, delivery, at: this.context.at() } });
    if (delivery !== 'locker') {
      commitDelivery();
      const { depositCode: _code, depositCodeExpiresAt: _expires, ...rest } = withoutRejection(work);
      this.caseWork.save(kase, { ...rest, delivery });
      return { case: this.caseWork.view(caseId) };
    }
    const identity = this.identities.of(caseId);
    if (!identity?.name) throw new LocalRejection('identity_needed', "check the citizen's ID (number and name) first: the locker code is issued to them");
    if (!locker.phone) throw new LocalRejection('phone_needed', "the citizen's mobile number is needed: the pickup code is sent there");
    const { issued, signedHere } = await this.depositCode({
      caseNumber: work.caseNumber ?? kase.id.slice(0, 40),
      size: locker.size ?? 'medium',
      idNumber: identity.idNumber,
      name: identity.name,
      phone: locker.phone,
    });
    commitDelivery();
    this.caseWork.save(kase, { ...withoutRejection(work), delivery, depositCode: issued.code, depositCodeExpiresAt: issued.expiresAt });
    const slip = this.depositSlip(kase, work, issued.code, issued.expiresAt, signedHere);
    return { case: this.caseWork.view(caseId), slip: await this.printing.print('deposit_code', slip, kase) };
  }

  /**
   * The central locker service when it answers (it records the parcel at once); the
   * counter's own delegated key only when it cannot be reached. Refuses when neither gives a code.
   */
  private async depositCode(item: DepositCodeRequest): Promise<{ issued: { code: string; expiresAt: string }; signedHere: boolean }> {
    const offline = this.options.offlineDepositCodes;
    const token = this.signIn.token();
    const central = token && this.options.depositCodes && this.options.online?.() !== false ? this.options.depositCodes : undefined;
    let issued: DepositCodeOutcome;
    let signedHere = false;
    if (central && token) issued = await central(token, item);
    else issued = { ok: false, unreachable: true, message: 'the central system is not reachable' };
    if (!issued.ok && issued.unreachable && offline) {
      const local = offline(item);
      issued = local.ok ? local : { ok: false, unreachable: true, message: `${issued.message}; ${local.message}` };
      signedHere = local.ok;
    }
    if (!issued.ok && issued.unreachable && !offline && !central) {
      throw new LocalRejection('locker_offline', 'locker deposit codes come from the central system: sign in online, or choose another delivery');
    }
    if (!issued.ok) throw new LocalRejection(issued.unreachable ? 'locker_offline' : 'locker_refused', `no deposit code: ${issued.message}`);
    return { issued, signedHere };
  }

  private depositSlip(kase: Case, work: CaseWorkData, code: string, expiresAt: string, signedHere: boolean): RenderedSlip {
    return counterSlip(this.context.catalogue().hall.name.zh, '24小时文件柜 存件码', [
      { kind: 'text', text: `办件编号：${work.caseNumber ?? kase.id}` },
      { kind: 'text', text: `申请人：${work.identity?.maskedName ?? ''}` },
      { kind: 'text', text: `有效期至：${expiresAt.slice(0, 10)}` },
      ...(signedHere ? [{ kind: 'text' as const, text: '（中心系统离线，本窗口签发）' }] : []),
      { kind: 'qr', payload: code, moduleSize: signedHere ? 3 : 4 },
      { kind: 'text', text: '办结后在文件柜扫码存件；存件后系统短信通知申请人取件码', align: 'center' },
    ]);
  }
}
