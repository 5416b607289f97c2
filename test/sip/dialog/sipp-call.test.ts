import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { buildConfig } from '../../../src/config.js';
import { createSipStack, type Dialog, type SipStack, type TransportName } from '../../../src/sip/stack.js';
import { DIALOG_METHODS } from '../../../src/sip/dialog/usages.js';
import { createRequest, generateCallId, generateTag } from '../../../src/sip/message/index.js';
import { runSipp, startSippUas } from '../../support/sipp.js';

const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';
const FAST = { t1: 50, t2: 400, t4: 500 };

async function answeringStack(): Promise<{ stack: SipStack; ended: string[] }> {
  const config = buildConfig({ SIP_PORT: '0', SIP_BIND: '127.0.0.1', SIP_EXTERNAL_ADDRESS: '127.0.0.1' });
  const stack = await createSipStack({ config, log: pino({ level: 'silent' }), timers: FAST });
  const ended: string[] = [];
  stack.handle('INVITE', (req, tx) => {
    const transport: TransportName = tx.source.transport;
    tx.respond(180, 'Ringing', { headers: [['Contact', stack.contact(transport)]] });
    const ok = tx.respond(200, 'OK', { headers: [['Contact', stack.contact(transport)], ['Content-Type', 'application/sdp']], body: SDP });
    const dialog: Dialog = stack.createUasDialog(req, tx, ok);
    dialog.onTerminated((reason) => ended.push(reason));
  }, { inDialog: DIALOG_METHODS });
  return { stack, ended };
}

async function drained(stack: SipStack): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const s = stack.stats();
    if (s.serverTransactions + s.clientTransactions + s.dialogs === 0) return;
    if (Date.now() > deadline) assert.fail(`stack did not drain: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const transport of ['UDP', 'TCP'] as const) {
  test(`SIPp UAC → stack over ${transport}: INVITE/180/200/ACK/BYE completes and nothing leaks`, async () => {
    const { stack, ended } = await answeringStack();
    try {
      const result = await runSipp({
        scenario: { builtin: 'uac' },
        remote: `127.0.0.1:${stack.udpPort}`,
        service: 'app',
        name: `sipp-uac-${transport.toLowerCase()}`,
        extraArgs: transport === 'TCP' ? ['-t', 't1'] : [],
        deadlineMs: 20_000,
      });
      assert.equal(result.exitCode, 0, `SIPp failed:\n${result.errors}\n${result.output}`);
      assert.equal(result.successful, 1);
      assert.deepEqual(ended, ['bye-received']);
      assert.match(result.messages, transport === 'TCP' ? /Via: SIP\/2\.0\/TCP/ : /Via: SIP\/2\.0\/UDP/);
      await drained(stack);
    } finally {
      await stack.close();
    }
  });
}

test('SIPp OPTIONS scenario over UDP gets 200 with Allow and Supported', async () => {
  const { stack } = await answeringStack();
  try {
    const result = await runSipp({
      scenario: { file: fileURLToPath(new URL('../scenarios/options.xml', import.meta.url)) },
      remote: `127.0.0.1:${stack.udpPort}`,
      service: 'ping',
      name: 'sipp-options',
      deadlineMs: 15_000,
    });
    assert.equal(result.exitCode, 0, `SIPp failed:\n${result.errors}\n${result.output}`);
    assert.equal(result.successful, 1);
  } finally {
    await stack.close();
  }
});

test('stack UAC → SIPp UAS over UDP: the call is set up, ACKed and hung up by BYE', async () => {
  const uas = await startSippUas({ name: 'sipp-uas-for-stack', deadlineMs: 20_000 });
  const config = buildConfig({ SIP_PORT: '0', SIP_BIND: '127.0.0.1', SIP_EXTERNAL_ADDRESS: '127.0.0.1' });
  const stack = await createSipStack({ config, log: pino({ level: 'silent' }), timers: FAST });
  try {
    const invite = createRequest({
      method: 'INVITE',
      uri: `sip:service@127.0.0.1:${uas.port}`,
      headers: [
        ['From', `<sip:dialtone@127.0.0.1>;tag=${generateTag()}`],
        ['To', `<sip:service@127.0.0.1:${uas.port}>`],
        ['Call-ID', generateCallId()],
        ['CSeq', '1 INVITE'],
        ['Contact', stack.contact('UDP')],
        ['Content-Type', 'application/sdp'],
      ],
      body: SDP,
    });
    const tx = stack.sendRequest(invite);
    const final = await tx.final;
    assert.equal(final.status, 200);
    const dialog = stack.createUacDialog(tx, final);
    dialog.ack(final.cseq.seq);
    assert.equal(dialog.remoteTarget.port, uas.port);
    const bye = await dialog.sendRequest('BYE').final;
    assert.equal(bye.status, 200);
    const result = await uas.result();
    assert.equal(result.exitCode, 0, `SIPp UAS failed:\n${result.errors}\n${result.output}`);
    assert.equal(result.successful, 1);
    await drained(stack);
  } finally {
    await uas.stop();
    await stack.close();
  }
});
