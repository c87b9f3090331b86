// Which kennisgeving faults the consumer caused (400 / 404 / 409) and which the backend (502).
import { describe, expect, it } from 'vitest';
import { BackendRejectedError, BackendUnavailableError } from '../../../src/backend/errors.ts';
import { classifyWriteFault, toBackendWriteError } from '../../../src/backend/stuf-write-faults.ts';
import { StufFault, StufProtocolError, StufTransportError, type StufFaultFields } from '../../../src/stuf/index.ts';

const fault = (f: Partial<StufFaultFields>) =>
  new StufFault({ berichtcode: 'Fo03', foutcode: '', plek: 'client', omschrijving: '', source: 'stuf', ...f });

describe('classifyWriteFault', () => {
  const cases: [string, Partial<StufFaultFields>, string][] = [
    ['stale W (StUF066)', { foutcode: 'StUF066', omschrijving: 'Object is gewijzigd' }, 'conflict'],
    ['stale W by text only', { foutcode: 'X1', omschrijving: 'Het object is gewijzigd door een ander' }, 'conflict'],
    ['unknown key (StUF064)', { foutcode: 'StUF064', omschrijving: 'Object niet gevonden' }, 'not_found'],
    ['duplicate (StUF065)', { foutcode: 'StUF065', omschrijving: 'Object bestaat al' }, 'duplicate'],
    ['other client error', { foutcode: 'StUF999', omschrijving: 'Postcode onbekend' }, 'invalid'],
    ['invalid message (our fault)', { foutcode: 'StUF055', omschrijving: 'Bericht voldoet niet aan het schema' }, '502'],
    ['server error', { foutcode: 'StUF058', plek: 'server', omschrijving: 'Storing' }, '502'],
    ['no plek', { foutcode: 'StUF058', plek: '', omschrijving: 'Storing' }, '502'],
    ['plain SOAP fault', { source: 'soap', berichtcode: '', plek: 'client', omschrijving: 'Bad' }, '502'],
  ];
  it.each(cases)('%s', (_name, f, expected) => {
    const e = classifyWriteFault(fault(f));
    if (expected === '502') {
      expect(e).toBeInstanceOf(BackendUnavailableError);
      expect((e as BackendUnavailableError).status).toBe(502);
    } else {
      expect(e).toBeInstanceOf(BackendRejectedError);
      expect((e as BackendRejectedError).kind).toBe(expected);
    }
  });

  it('carries the backend omschrijving (and details) to the consumer', () => {
    const e = classifyWriteFault(fault({ foutcode: 'StUF999', omschrijving: 'Postcode onbekend', details: '9999ZZ' })) as BackendRejectedError;
    expect(e.detail).toBe('Postcode onbekend: 9999ZZ');
  });
});

describe('toBackendWriteError', () => {
  it('timeouts are 504, transport and protocol errors 502, a question fault 502, others pass', () => {
    expect((toBackendWriteError(new StufTransportError('timeout', 't'), 'kennisgeving') as BackendUnavailableError).status).toBe(504);
    expect((toBackendWriteError(new StufTransportError('connect', 'c'), 'question') as BackendUnavailableError).status).toBe(502);
    expect((toBackendWriteError(new StufProtocolError('malformed', 'm'), 'kennisgeving') as BackendUnavailableError).status).toBe(502);
    expect(toBackendWriteError(fault({ foutcode: 'StUF066' }), 'question')).toBeInstanceOf(BackendUnavailableError);
    expect(toBackendWriteError(fault({ foutcode: 'StUF066' }), 'kennisgeving')).toBeInstanceOf(BackendRejectedError);
    const other = new Error('x');
    expect(toBackendWriteError(other, 'question')).toBe(other);
  });
});
