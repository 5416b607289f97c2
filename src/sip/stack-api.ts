import type { NameAddr, SipRequest, SipResponse, SipUri } from './message/types.js';
import type { DialogUsage } from './dialog/usages.js';
import type { OutOfDialogMethod, SipMethod } from './methods.js';
import type { SipSource, SipTarget, TransportName } from './transport/types.js';

export type { SipSource, SipTarget, TransportName };
export type { Claim, DialogUsage, UsageDeclaration } from './dialog/usages.js';
export type { OutOfDialogMethod, SipMethod } from './methods.js';

/** Extra header fields and body for a message the stack builds (response, in-dialog request). */
export interface MessageExtra {
  /** Field lines appended in order; `Content-Type` belongs here when there is a body. */
  readonly headers?: ReadonlyArray<readonly [name: string, value: string]>;
  readonly body?: Buffer | string;
}

/** The server side of one request, handed to the TU with the request. */
export interface ServerTransaction {
  readonly request: SipRequest;
  readonly source: SipSource;
  /**
   * The tag this transaction puts in To on every response other than 100 when the request's To has
   * none, so a 180 and the later 200 build the same dialog.
   */
  readonly toTag: string;
  /** True once a final response was sent. */
  readonly answered: boolean;
  /** Builds the response from the request (Via, From, To+tag, Call-ID, CSeq copied) and sends it. */
  respond(status: number, reason?: string, extra?: MessageExtra): SipResponse;
  /**
   * INVITE only: a matching CANCEL arrived while the INVITE was unanswered. By then the stack has
   * already answered the CANCEL 200 and the INVITE 487 (RFC 3261 9.2); the TU only tears down.
   */
  onCancel(cb: (cancel: SipRequest) => void): void;
}

/** The client side of one request the stack sent. */
export interface ClientTransaction {
  readonly request: SipRequest;
  /** Where it went (after the 1300-byte rule). Resolves before the first response can arrive. */
  readonly target: Promise<SipTarget>;
  /** Every response: provisionals, the final one, and for INVITE any 2xx retransmissions. */
  onResponse(cb: (res: SipResponse) => void): void;
  /**
   * The final response. A timeout (Timer B/F) resolves with a locally built `408 Request Timeout`,
   * a transport failure with `503 Service Unavailable`; it never rejects.
   */
  readonly final: Promise<SipResponse>;
  /** INVITE only: sends a CANCEL once a provisional arrived (RFC 3261 9.1); no-op after a final response. */
  cancel(): void;
}

export type DialogState = 'early' | 'confirmed' | 'terminated';

export interface DialogId {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
}

/** One RFC 3261 §12 dialog, UAC or UAS side. */
export interface Dialog {
  readonly id: DialogId;
  readonly role: 'uac' | 'uas';
  readonly state: DialogState;
  readonly localUri: NameAddr;
  readonly remoteUri: NameAddr;
  /** Contact of the peer, updated by target-refresh requests (re-INVITE, UPDATE) and their 2xx. */
  readonly remoteTarget: SipUri;
  /** Route set in the order requests use it (Record-Route reversed for the UAC). */
  readonly routeSet: readonly string[];
  readonly localSeq: number;
  readonly remoteSeq: number | null;
  /** Transport flow the dialog's requests use (the one the dialog was set up on). */
  readonly flow: SipTarget;
  /**
   * Sends an in-dialog request (re-INVITE, UPDATE, INFO, REFER, NOTIFY, BYE, OPTIONS, MESSAGE) with
   * the next CSeq, the route set and the remote target. A BYE terminates the dialog when sent.
   */
  sendRequest(method: string, extra?: MessageExtra): ClientTransaction;
  /** UAC: acknowledges the 2xx to the INVITE with this CSeq (retransmitted 2xx are re-ACKed automatically). */
  ack(cseq: number, extra?: MessageExtra): void;
  /**
   * Offers the peer's in-dialog requests (after CSeq checks) to `usage`, in priority order with the
   * dialog's other usages; returns its remover. The dialog answers BYE itself, and what no usage claims:
   * OPTIONS 200 with `Allow` and `Supported` of what its usages handle, anything else 501 with that
   * `Allow`. ACKs for 2xx come through `onAck`.
   */
  addUsage(usage: DialogUsage): () => void;
  onAck(cb: (ack: SipRequest) => void): void;
  /** Fires once: BYE sent or received, 2xx never ACKed, early dialog ended by a non-2xx, or `terminate()`. */
  onTerminated(cb: (reason: string) => void): void;
  /** Drops the dialog state locally without sending anything. */
  terminate(reason?: string): void;
}

export interface SipStackStats {
  readonly serverTransactions: number;
  /** Server transactions still waiting for the TU's final response (what the overload limit counts). */
  readonly unansweredServerTransactions: number;
  readonly clientTransactions: number;
  readonly dialogs: number;
  readonly tcpConnections: number;
  readonly parseErrors: number;
}

export type RequestHandler = (req: SipRequest, tx: ServerTransaction, source: SipSource) => void;

export interface HandleOptions {
  /** The methods the dialogs this handler sets up answer (`DIALOG_METHODS` and their usages'). */
  readonly inDialog?: readonly SipMethod[];
}

/** The SIP node as the call layer and the registrar see it. */
export interface SipStack {
  readonly udpPort: number;
  readonly tcpPort: number;
  readonly advertisedHost: string;
  /**
   * Registers the one handler of an out-of-dialog method; it gets the request after validation (an
   * INVITE has had 100 Trying). A second handler for the same method throws. A method nobody registered
   * gets `405 Method Not Allowed`; OPTIONS keeps the stack's 200 until a handler is registered. The
   * stack's `Allow` (OPTIONS, 405, 501) lists OPTIONS, the registered methods and their `inDialog` ones.
   */
  handle(method: OutOfDialogMethod, handler: RequestHandler, options?: HandleOptions): void;
  /**
   * Consulted for every out-of-dialog request (ACK aside) before validation and before a server
   * transaction exists: `true` discards it without any answer. For scanners and blocked sources, where
   * even a 4xx confirms that a SIP server listens here and a transaction would hold memory for Timer J.
   */
  setRequestFilter(shouldDrop: (req: SipRequest, source: SipSource) => boolean): void;
  /**
   * Sends a request out of dialog. The stack adds its own top Via (branch, rport) and, if absent,
   * Max-Forwards. Without `target` it goes to the first Route, else the Request-URI (host, port or 5060,
   * `transport` parameter or UDP).
   */
  sendRequest(req: SipRequest, target?: SipTarget): ClientTransaction;
  /** UAS dialog from an INVITE and the 1xx-with-tag or 2xx the TU sent on `tx`; a 2xx is retransmitted until ACKed. */
  createUasDialog(invite: SipRequest, tx: ServerTransaction, response: SipResponse): Dialog;
  /** UAC dialog from the INVITE sent on `tx` and a 1xx-with-tag (early) or 2xx response. */
  createUacDialog(tx: ClientTransaction, response: SipResponse): Dialog;
  /** `<sip:advertisedHost:port;transport=tcp>`-style Contact value for this node. */
  contact(transport: TransportName, user?: string): string;
  stats(): SipStackStats;
  close(): Promise<void>;
}
