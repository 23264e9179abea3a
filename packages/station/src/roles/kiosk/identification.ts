import { claimedCodeKind, parseReceiptQr, type CitizenView, type DataKeyRing, type MatterCitizens, LocalRejection } from '@hall/shared';
import type { CodeScanner, IdCardReader, IdDocument } from '@hall/devices';
import { openResidenceFields } from '../../residence-code/personal';
import type { StationCodeVerifier } from '../../residence-code/verifier';
import { CitizenVault, InvalidIdNumberError } from './citizens';
import type { KioskContext } from './context';
import { recordFromDocument } from './documents';

/** An identified citizen as the vault holds them (full record, masked view, keyed reference). */
export type IdentifiedCitizen = NonNullable<ReturnType<CitizenVault['get']>>;

export interface IdentificationOptions {
  /** The city's key for citizen hashes (CitizenRef.idHash). */
  idHashKey: string;
  idCardReader?: IdCardReader | undefined;
  codeScanner?: CodeScanner | undefined;
  /** Residence codes: keys cached and nonces claimed in the kiosk's database. */
  codes: StationCodeVerifier;
  /** The residence-code data keys held: open the citizen's fields sealed in a code. */
  dataKeys?: (() => DataKeyRing | undefined) | undefined;
  /** Told of every citizen identified, by keyed ID hash (the blacklist is asked ahead of the tap). */
  onIdentified: (idHash: string) => void;
}

/**
 * Who stands at the kiosk: an ID card on the reader, a typed number, or a residence code on
 * the scanner, each held in the vault behind an opaque handle. The renderer sees masked
 * views only; scans that identify nobody (receipts, tickets) are passed on by kind.
 */
export class KioskIdentification {
  readonly vault: CitizenVault;
  /**
   * The card lying on the reader, as read when placed: the reader tells of a card only once, so an
   * identify screen opened after it was put down asks for it here. Memory only; gone when the card
   * is lifted and when the session ends (完成 or the idle reset), so a card left behind is not
   * offered to the next citizen.
   */
  private cardOnReader: IdDocument | undefined;
  private readonly unsubscribers: (() => void)[] = [];

  constructor(
    private readonly context: KioskContext,
    private readonly options: IdentificationOptions,
  ) {
    this.vault = new CitizenVault({ hashKey: options.idHashKey, now: context.now });
    const reader = options.idCardReader;
    if (reader) {
      const onCard = (read: { document: IdDocument }) => {
        this.cardOnReader = read.document;
        context.emit('idcard.read', this.cardView(read.document));
      };
      const onRemoved = () => (this.cardOnReader = undefined);
      reader.on('card', onCard);
      reader.on('removed', onRemoved);
      this.unsubscribers.push(() => reader.off('card', onCard), () => reader.off('removed', onRemoved));
    }
    const scanner = options.codeScanner;
    if (scanner) {
      const onScan = (scan: { code: string }) => this.scanned(scan.code);
      scanner.on('scan', onScan);
      this.unsubscribers.push(() => scanner.off('scan', onScan));
    }
  }

  private scanned(code: string): void {
    const { emit } = this.context;
    if (claimedCodeKind(code) === 'residence') {
      // Single-use at this kiosk, across restarts: a photographed code cannot be replayed.
      const verified = this.options.codes.verify(code, 'residence');
      if (!verified.ok) {
        emit('code.scanned', { kind: 'residenceCode' });
        return;
      }
      // The fields sealed in the code fill the form; a code without them (or one this kiosk
      // holds no data key for) still identifies the citizen, who then types the form.
      const opened = openResidenceFields(verified.payload, this.options.dataKeys?.(), this.context.now());
      const view = this.identified(
        this.vault.addResidenceCode(
          Buffer.from(verified.payload.subject).toString('hex'),
          opened.ok ? { fields: opened.fields, today: this.context.today(), groups: this.context.priorityGroups() } : undefined,
        ),
      );
      emit('code.scanned', { kind: 'residenceCode', citizen: view });
      return;
    }
    // An acceptance receipt (办件进度查询): checked by kiosk.caseProgress, so a forged one is refused there in words.
    const trimmed = code.trim();
    if (parseReceiptQr(trimmed)) {
      emit('code.scanned', { kind: 'receipt', receipt: trimmed });
      return;
    }
    emit('code.scanned', { kind: /^[A-Z]\d{2,4}$/.test(code) ? 'ticket' : 'unknown' });
  }

  /** A card's citizen, held in the vault behind a fresh handle (masked view only). */
  private cardView(document: IdDocument): CitizenView {
    return this.identified(this.vault.add(recordFromDocument(document), this.context.today(), this.context.priorityGroups()));
  }

  private identified(view: CitizenView): CitizenView {
    const entry = this.vault.get(view.handle);
    if (entry) this.options.onIdentified(entry.ref.idHash);
    return view;
  }

  /** kiosk.identify: a number typed on the keypad, refused in words when it is not a valid ID number. */
  identifyTyped(idNumber: string): CitizenView {
    try {
      return this.identified(this.vault.addTyped(idNumber, this.context.today(), this.context.priorityGroups()));
    } catch (error) {
      if (error instanceof InvalidIdNumberError) {
        throw new LocalRejection(`id_${error.problem}`, error.message);
      }
      throw error;
    }
  }

  /** kiosk.cardOnReader: the card still on the reader, as a fresh identification. */
  cardStillOnReader(): CitizenView | null {
    return this.cardOnReader ? this.cardView(this.cardOnReader) : null;
  }

  /** The session ended (完成 or the idle reset): a card left on the reader is not offered to the next citizen. */
  sessionEnded(): void {
    this.cardOnReader = undefined;
  }

  /** The citizen behind a handle; none asked, none given; a handle gone (forgotten, expired) is refused. */
  citizen(handle: string | undefined): IdentifiedCitizen | undefined {
    if (handle === undefined) return undefined;
    return this.vault.get(handle) ?? this.expired();
  }

  /** 一号联办 for a family: each member's handle as their citizen; a forgotten handle is refused like the citizen's own. */
  matterCitizens(handles: Record<string, string> | undefined): MatterCitizens | undefined {
    if (handles === undefined || Object.keys(handles).length === 0) return undefined;
    return Object.fromEntries(Object.entries(handles).map(([serviceId, handle]) => [serviceId, this.citizen(handle)?.ref ?? this.expired()]));
  }

  private expired(): never {
    throw new LocalRejection('citizen_expired', 'the identification has expired; identify again');
  }

  close(): void {
    for (const off of this.unsubscribers.splice(0)) off();
  }
}
