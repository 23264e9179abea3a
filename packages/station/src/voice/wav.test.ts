import { describe, expect, it } from 'vitest';
import { chime, durationMs, encodeWav, joinWavs, parseWav, silence, trimSilence, WavError, type PcmFormat, type Wav } from './wav';

const mono16: PcmFormat = { sampleRate: 22050, channels: 1, bitsPerSample: 16 };

function ramp(format: PcmFormat, values: number[]): Wav {
  const data = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => data.writeInt16LE(v, i * 2));
  return { format, data };
}

describe('WAV parsing and encoding', () => {
  it('round-trips PCM through encode and parse', () => {
    const wav = ramp(mono16, [0, 1000, -1000, 32767, -32768]);
    const parsed = parseWav(encodeWav(wav));
    expect(parsed.format).toEqual(mono16);
    expect([...parsed.data]).toEqual([...wav.data]);
  });

  it('skips chunks it does not know (LIST) and reads the data chunk', () => {
    const plain = encodeWav(ramp(mono16, [5, 6, 7]));
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc'), Buffer.from([0])]);
    const withList = Buffer.concat([plain.subarray(0, 36), list, plain.subarray(36)]);
    expect(parseWav(withList).data.readInt16LE(4)).toBe(7);
  });

  it('accepts the oversized data length of a streamed file (espeak-ng --stdout)', () => {
    const bytes = encodeWav(ramp(mono16, [1, 2, 3, 4]));
    bytes.writeUInt32LE(0x7ffff000, 40);
    expect(parseWav(bytes).data.length).toBe(8);
  });

  it('refuses what it cannot join: not RIFF, float samples, no data', () => {
    expect(() => parseWav(Buffer.from('not a wav file at all'))).toThrow(WavError);
    const float = encodeWav(ramp(mono16, [1]));
    float.writeUInt16LE(3, 20);
    expect(() => parseWav(float)).toThrow(/only integer PCM/);
    expect(() => parseWav(encodeWav(ramp(mono16, [1])).subarray(0, 36))).toThrow(/no data chunk/);
  });
});

describe('joining clips', () => {
  it('concatenates same-format clips in order', () => {
    const joined = joinWavs([ramp(mono16, [1, 2]), silence(mono16, 0), ramp(mono16, [3])]);
    expect([0, 1, 2].map((i) => joined.data.readInt16LE(i * 2))).toEqual([1, 2, 3]);
    expect(parseWav(encodeWav(joined)).data.length).toBe(6);
  });

  it('refuses clips of different formats, naming the odd one', () => {
    const stereo: PcmFormat = { ...mono16, channels: 2 };
    expect(() => joinWavs([ramp(mono16, [1]), ramp(stereo, [1, 1])])).toThrow(/clip 1 is 22050 Hz 2 ch/);
    expect(() => joinWavs([ramp(mono16, [1]), ramp({ ...mono16, sampleRate: 16000 }, [1])])).toThrow(WavError);
    expect(() => joinWavs([])).toThrow(/nothing to join/);
  });

  it('measures silence and chime durations in the clip format', () => {
    expect(durationMs(silence(mono16, 500))).toBeCloseTo(500, 0);
    expect(durationMs(chime(mono16))).toBeCloseTo(1000, 0);
    expect(chime({ sampleRate: 8000, channels: 1, bitsPerSample: 8 }).data.length).toBe(8000);
  });
});

describe('trimming', () => {
  it('cuts padding but keeps a margin around the sound', () => {
    const quiet = new Array<number>(1000).fill(10);
    const loud = new Array<number>(100).fill(20000);
    const trimmed = trimSilence(ramp(mono16, [...quiet, ...loud, ...quiet]), 0.02, 1);
    const margin = Math.round(22050 / 1000);
    expect(trimmed.data.length / 2).toBe(100 + 2 * margin);
    expect(trimSilence(ramp(mono16, quiet)).data.length).toBe(0);
  });
});
