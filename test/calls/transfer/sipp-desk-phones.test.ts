import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { realClock } from '../../../src/clock.js';
import { readReferRequest, type ReferRequest } from '../../../src/calls/transfer/refer-request.js';
import { ReferSubscription, type SubscriptionEnd } from '../../../src/calls/transfer/refer-subscription.js';
import { buildConfig } from '../../../src/config.js';
import { createRequest, generateCallId, generateTag } from '../../../src/sip/message/index.js';
import { createSipStack, type SipStack } from '../../../src/sip/stack.js';
import { startSippUas } from '../../support/sipp.js';

const log = pino({ level: 'silent' });
const SCENARIOS = join(import.meta.dirname, '..', 'scenarios');
const TARGET = 'sip:carol@127.0.0.1:5099';

let stack: SipStack;

before(async () => {
  const config = buildConfig({ SIP_PORT: '0', SIP_BIND: '127.0.0.1', SIP_EXTERNAL_ADDRESS: '127.0.0.1' });
  stack = await createSipStack({ config, log });
});

after(async () => {
  await stack.close();
});

interface Transfer {
  refer: ReferRequest;
  end: SubscriptionEnd;
  /** Whether the platform had to hang the transferor up itself. */
  byeSent: boolean;
}

/**
 * The platform side of a transfer with the building blocks: call the SIPp phone, take its REFER, report
 * 180 then 200 through the subscription, and hang the transferor up once the final NOTIFY is answered.
 */
async function transferFrom(scenario: string): Promise<{ transfer: Transfer; messages: string; failed: number }> {
  const sipp = await startSippUas({ scenario: { file: join(SCENARIOS, scenario) }, vars: { target: TARGET }, name: scenario, recvTimeoutMs: 8000 });
  try {
    const invite = createRequest({
      method: 'INVITE',
      uri: `sip:bob@127.0.0.1:${sipp.port}`,
      headers: [
        ['From', `<sip:+15550001@127.0.0.1>;tag=${generateTag()}`],
        ['To', '<sip:bob@127.0.0.1>'],
        ['Call-ID', generateCallId()],
        ['CSeq', '1 INVITE'],
        ['Contact', stack.contact('UDP', 'dialtone')],
      ],
    });
    const tx = stack.sendRequest(invite);
    const ok = await tx.final;
    assert.equal(ok.status, 200);
    const dialog = stack.createUacDialog(tx, ok);
    dialog.ack(1);
    const transfer = await new Promise<Transfer>((resolve, reject) => {
      dialog.addUsage({
        name: 'refer',
        priority: 20,
        methods: ['REFER'],
        onRequest: (req, itx) => {
          const reading = readReferRequest(req);
          if (reading.kind === 'refused') {
            itx.respond(reading.refusal.status, reading.refusal.reason);
            reject(new Error(reading.refusal.reason));
            return true;
          }
          const sub = ReferSubscription.accept({ dialog, tx: itx, referSub: reading.refer.referSub, log, clock: realClock });
          sub.progress(180, 'Ringing');
          // The target rings a while before it answers, as a real one does.
          const ring = new Promise((r) => setTimeout(r, 300));
          void ring.then(() => sub.finish(200, 'OK')).then((end) => {
            const byeSent = dialog.state !== 'terminated';
            if (byeSent) dialog.sendRequest('BYE');
            resolve({ refer: reading.refer, end, byeSent });
          });
          return true;
        },
      });
    });
    const result = await sipp.result();
    return { transfer, messages: result.messages, failed: result.failed };
  } finally {
    await sipp.stop();
  }
}

function sent(messages: string, pattern: RegExp): string[] {
  return messages.split(/-{5,}[^\n]*\n/).filter((m) => /^NOTIFY /m.test(m) && pattern.test(m));
}

test('desk phone with Referred-By: 202, NOTIFYs 100/180/200, then the platform hangs it up', async () => {
  const { transfer, messages, failed } = await transferFrom('transfer-referred-by.xml');
  assert.equal(failed, 0, messages);
  assert.equal(transfer.refer.dialUri, TARGET);
  assert.equal(transfer.refer.referTarget, 'carol');
  assert.equal(transfer.refer.referredBy?.displayName, 'Bob');
  assert.deepEqual(transfer.end, { answered: true, notifyResponse: 200, lastSentStatus: 200 });
  assert.equal(transfer.byeSent, true);
  assert.ok(sent(messages, /SIP\/2\.0 100 Trying/).length >= 1);
  assert.ok(sent(messages, /SIP\/2\.0 180 Ringing/).length >= 1);
  const final = sent(messages, /Subscription-State: terminated;reason=noresource/);
  assert.ok(final.length >= 1);
  assert.match(final[0] ?? '', /SIP\/2\.0 200 OK/);
});

test('phone that hangs up right after the 202: its BYE is answered and the subscription stops quietly', async () => {
  const { transfer, messages, failed } = await transferFrom('transfer-bye-after-202.xml');
  assert.equal(failed, 0, messages);
  assert.equal(transfer.refer.raw, TARGET, 'bare Refer-To without brackets');
  assert.equal(transfer.end.answered, false);
  assert.equal(transfer.byeSent, false);
  assert.equal(sent(messages, /terminated/).length, 0, 'no final NOTIFY after the BYE');
});

test('phone with Refer-Sub: false: the 202 says so, no NOTIFY, the platform hangs it up', async () => {
  const { transfer, messages, failed } = await transferFrom('transfer-norefersub.xml');
  assert.equal(failed, 0, messages);
  assert.equal(transfer.refer.referSub, false);
  assert.equal(transfer.end.lastSentStatus, null);
  assert.equal(transfer.byeSent, true);
  assert.match(messages, /SIP\/2\.0 202 Accepted[\s\S]*Refer-Sub: false/);
  assert.equal(sent(messages, /.*/).length, 0);
});
