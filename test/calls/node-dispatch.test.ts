import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SipPeer, header } from './transfer/sip-peer.js';
import { startCallNode, type CallNode } from './harness.js';

/** What the node registers (REGISTER, INVITE) and what its calls' dialogs answer; never MESSAGE. */
const NODE_ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, REFER, NOTIFY, INFO, UPDATE';

let n: CallNode;

before(async () => {
  n = await startCallNode();
});

after(async () => {
  await n.stop();
});

async function ask(peer: SipPeer, method: string, extra: string[] = []): Promise<string> {
  const request = peer.request(method, extra);
  peer.send(request);
  const cseq = header(request, 'CSeq') ?? '';
  return (await peer.expect(new RegExp(`^SIP/2\\.0 [2-6]\\d\\d [\\s\\S]*\\r\\nCSeq: ${cseq}\\r\\n`))).msg;
}

test('the node answers OPTIONS with the Allow of what is registered, without MESSAGE', async () => {
  const peer = await SipPeer.open(n.node.sipPort);
  try {
    const res = await ask(peer, 'OPTIONS');
    assert.match(res, /^SIP\/2\.0 200 OK\r\n/);
    assert.equal(header(res, 'Allow'), NODE_ALLOW);
  } finally {
    peer.close();
  }
});

test('out-of-dialog MESSAGE, SUBSCRIBE, PUBLISH and NOTIFY get 405 with the same Allow (RFC 3261 8.2.1); an unknown method 501', async () => {
  const peer = await SipPeer.open(n.node.sipPort);
  try {
    for (const method of ['MESSAGE', 'SUBSCRIBE', 'PUBLISH', 'NOTIFY']) {
      const res = await ask(peer, method, ['Event: presence']);
      assert.match(res, /^SIP\/2\.0 405 Method Not Allowed\r\n/, method);
      assert.equal(header(res, 'Allow'), NODE_ALLOW, method);
    }
    const unknown = await ask(peer, 'FROBNICATE');
    assert.match(unknown, /^SIP\/2\.0 501 Not Implemented\r\n/);
    assert.equal(header(unknown, 'Allow'), NODE_ALLOW);
  } finally {
    peer.close();
  }
});
