// Sound and vibration on the alert screen, where the browser allows: browsers let a page play sound only after the
// person has touched it once, so the first touch or key press anywhere readies the audio; vibration needs nothing
// (navigator.vibrate, where the device has it). A real alert sounds a rising and falling siren; an exercise or a
// test three short beeps, so nobody mistakes one for the other. Residents can turn both off in My places.

const KEY = 'refuge.sound';
const PATTERN = { actual: [800, 300, 800, 300, 800, 300, 800], exercise: [200, 150, 200, 150, 200] };

let ctx: AudioContext | null = null;
let playing: { stop: () => void } | null = null;

export type SoundState = 'playing' | 'blocked' | 'off' | 'silent';

export function soundEnabled(): boolean {
  return localStorage.getItem(KEY) !== 'off';
}

export function setSoundEnabled(on: boolean): void {
  localStorage.setItem(KEY, on ? 'on' : 'off');
  if (!on) silence();
}

function audioContext(): AudioContext | null {
  if (ctx) return ctx;
  const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return null;
  try {
    ctx = new Ctor();
  } catch {
    return null;
  }
  return ctx;
}

/** The first touch, click or key press readies the audio (a browser refuses sound before one). */
export function armSound(): void {
  const unlock = () => {
    const c = audioContext();
    void c?.resume().then(() => { document.body.dataset.audio = c.state; });
    for (const e of ['pointerdown', 'keydown', 'touchstart']) document.removeEventListener(e, unlock, true);
  };
  for (const e of ['pointerdown', 'keydown', 'touchstart']) document.addEventListener(e, unlock, true);
}

function setState(state: SoundState): SoundState {
  document.body.dataset.sound = state;
  return state;
}

/** Vibrates (when the device can); true when the browser took the pattern. */
export function vibrate(kind: 'actual' | 'exercise'): boolean {
  if (!soundEnabled() || typeof navigator.vibrate !== 'function') return false;
  try {
    return navigator.vibrate(PATTERN[kind]);
  } catch {
    return false;
  }
}

/** Sounds the alarm for an alert of this kind; says whether it could (a page not yet touched stays silent). */
export async function sound(kind: 'actual' | 'exercise'): Promise<SoundState> {
  stopAudio(); // not the vibration: it was started with this alert

  if (!soundEnabled()) return setState('off');
  const c = audioContext();
  if (!c) return setState('blocked');
  // Without a first touch Chrome keeps resume() pending (until one comes) rather than refusing: wait briefly only.
  if (c.state !== 'running') await Promise.race([c.resume().catch(() => undefined), new Promise((r) => setTimeout(r, 300))]);
  if (c.state !== 'running') return setState('blocked');
  const osc = c.createOscillator();
  const gain = c.createGain();
  osc.type = kind === 'actual' ? 'sawtooth' : 'sine';
  const t0 = c.currentTime + 0.05;
  if (kind === 'actual') {
    // A siren: up and down between 500 and 1,100 Hz every 4 s, for 60 s (or until silenced).
    for (let i = 0; i < 15; i++) {
      osc.frequency.setValueAtTime(500, t0 + i * 4);
      osc.frequency.linearRampToValueAtTime(1100, t0 + i * 4 + 2);
      osc.frequency.linearRampToValueAtTime(500, t0 + i * 4 + 4);
    }
    gain.gain.setValueAtTime(0.25, t0);
    osc.start(t0);
    osc.stop(t0 + 60);
  } else {
    osc.frequency.setValueAtTime(880, t0);
    gain.gain.setValueAtTime(0, t0);
    for (let i = 0; i < 3; i++) {
      gain.gain.setValueAtTime(0.2, t0 + i * 0.6);
      gain.gain.setValueAtTime(0, t0 + i * 0.6 + 0.3);
    }
    osc.start(t0);
    osc.stop(t0 + 1.8);
  }
  osc.connect(gain).connect(c.destination);
  const stop = () => {
    try { osc.stop(); } catch { /* already stopped */ }
    osc.disconnect();
    if (playing?.stop === stop) playing = null;
    if (document.body.dataset.sound === 'playing') setState('silent');
  };
  osc.addEventListener('ended', stop);
  playing = { stop };
  return setState('playing');
}

function stopAudio(): void {
  playing?.stop();
  playing = null;
}

/** Stops the alarm and the vibration. */
export function silence(): void {
  stopAudio();
  if (typeof navigator.vibrate === 'function') navigator.vibrate(0);
}

export function isPlaying(): boolean {
  return playing !== null;
}
