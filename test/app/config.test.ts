// Settings come from the environment in one place, typed and checked; a bad value stops the start naming the variable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSettings, SettingError } from '../../src/app/config.ts';

test('defaults when nothing is set', () => {
  const s = loadSettings({});
  assert.equal(s.capSender, 'alerts@refuge.local');
  assert.equal(s.capSenderName, 'Refuge');
  assert.equal(s.pushAllowPrivate, false);
  assert.equal(s.alertBus, null);
  assert.equal(s.mqttPrefix, 'refuge/alerts');
  assert.equal(s.tokenDefaultDays, null);
  assert.equal(s.publicUrl, null);
  assert.equal(s.logLevel, 'info');
});

test('values are read and typed; blank counts as unset', () => {
  const s = loadSettings({ REFUGE_TOKEN_DAYS: '30', REFUGE_PUSH_ALLOW_PRIVATE: '1', REFUGE_ALERT_BUS: 'nats://127.0.0.1:4222', REFUGE_PUBLIC_URL: 'https://refuge.example/some/path', REFUGE_CAP_SENDER_NAME: '  ', REFUGE_MQTT_URL: '' });
  assert.equal(s.tokenDefaultDays, 30);
  assert.equal(s.pushAllowPrivate, true);
  assert.equal(s.alertBus, 'nats://127.0.0.1:4222');
  assert.equal(s.publicUrl, 'https://refuge.example');
  assert.equal(s.capSenderName, 'Refuge');
  assert.equal(s.mqttUrl, null);
});

test('a bad value names its variable', () => {
  assert.throws(() => loadSettings({ REFUGE_TOKEN_DAYS: 'ninety' }), (e) => e instanceof SettingError && /REFUGE_TOKEN_DAYS/.test(e.message));
  assert.throws(() => loadSettings({ REFUGE_TOKEN_MAX_DAYS: '0' }), /REFUGE_TOKEN_MAX_DAYS must be a whole number of days/);
  assert.throws(() => loadSettings({ REFUGE_PUBLIC_URL: 'not a url' }), /REFUGE_PUBLIC_URL/);
});
