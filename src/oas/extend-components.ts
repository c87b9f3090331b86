// Shared components the gateway's additions refer to: request headers (X-Request-ID, If-Match,
// If-None-Match, Idempotency-Key), the `fields` parameter, response headers (X-Request-ID, ETag)
// and the responses the standard does not list (304, 413, 422, 502, 503, 504).
import { marked, withMarkedNote } from './marker.ts';
import type { OasHeader, OasResponse, OpenApiDocument } from './types.ts';

export const PARAM = {
  requestId: 'X-Request-ID',
  ifMatch: 'If-Match',
  ifNoneMatch: 'If-None-Match',
  idempotencyKey: 'Idempotency-Key',
  fields: 'fields',
} as const;

export const HEADER = { requestId: 'X-Request-ID', etag: 'ETag' } as const;

export const paramRef = (name: string) => ({ $ref: `#/components/parameters/${name}` });
export const headerRef = (name: string): OasHeader => ({ $ref: `#/components/headers/${name}` });
export const responseRef = (status: string): OasResponse => ({ $ref: `#/components/responses/${status}` });

/** The standard's API-version response header, verbatim. */
export function apiVersionHeader(): OasHeader {
  return {
    schema: { type: 'string' },
    description: 'Geeft een specifieke API-versie aan in de context van een specifieke aanroep. Voorbeeld: 1.2.1.',
  };
}

const FIELDS_DESCRIPTION =
  'Representatie op maat (API Design Rules API-12; Haal Centraal `fields`, uitgebreide variant). ' +
  "Een door komma's gescheiden lijst veldnamen, zonder spaties, hoofdlettergevoelig, volgorde niet " +
  'relevant, hoogstens 130. Een naam is een volledig pad in puntnotatie (`adres.postcode`, ' +
  '`subjectIdentificatie.inpBsn`) of het laatste deel van precies één pad (`postcode`); een groep ' +
  '(`adres`) geeft de hele groep. In de lijst gaan de namen over de klanten in `results` (dus ' +
  '`achternaam`, niet `results.achternaam`). `url` komt altijd mee. Alleen de gevraagde velden komen ' +
  'in het antwoord: de verplichte velden van het schema gelden dan niet. Leeg of afwezig: alle velden. ' +
  'Een onbekende of meerduidige naam geeft 400 met invalidParams `name: fields`, `code: fields`.';

function problemResponse(description: string): OasResponse {
  return {
    description: marked(description),
    headers: { 'API-version': apiVersionHeader(), [HEADER.requestId]: headerRef(HEADER.requestId) },
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Fout' } } },
  };
}

/** Status → response the gateway adds to components.responses. */
const ADDED_RESPONSES: Record<string, OasResponse> = {
  '304': {
    description: marked(
      'Not modified: de ETag van de actuele representatie komt voor in If-None-Match. Zonder body.',
    ),
    headers: {
      'API-version': apiVersionHeader(),
      [HEADER.etag]: headerRef(HEADER.etag),
      [HEADER.requestId]: headerRef(HEADER.requestId),
    },
  },
  '413': problemResponse('Content too large: de request body is groter dan de limiet van de gateway.'),
  '422': problemResponse(
    'Unprocessable content: deze Idempotency-Key is eerder gebruikt voor een verzoek met een andere body.',
  ),
  '502': problemResponse('Bad gateway: de backend (StUF) gaf een foutbericht of een onbruikbaar antwoord.'),
  '503': problemResponse(
    'Service unavailable: de backend is tijdelijk niet bereikbaar (circuit breaker open) of de gateway ' +
      'is overbelast. Probeer het later opnieuw.',
  ),
  '504': problemResponse('Gateway timeout: de backend antwoordde niet op tijd.'),
};

export function extendComponents(doc: OpenApiDocument): void {
  const c = doc.components;
  c.headers = {
    ...c.headers,
    [HEADER.requestId]: {
      description: marked(
        'Correlatie-id van dit verzoek: de X-Request-ID van het verzoek als die bruikbaar is, anders een ' +
          'door de gateway gemaakte id. Dezelfde id staat in de logregels en gaat mee naar de backend.',
      ),
      schema: { type: 'string' },
    },
    [HEADER.etag]: {
      description: withMarkedNote(
        'De ETag berekend op de response body JSON. Indien twee resources exact dezelfde ETag hebben, dan ' +
          'zijn deze resources identiek aan elkaar. Je kan de ETag gebruiken om caching te implementeren.',
        'Sterke ETag over de exacte bytes van de body. Alles wat die bytes bepaalt (de publieke basis-URL ' +
          'uit X-Forwarded-Proto/-Host/-Prefix, fields) bepaalt dus ook de ETag.',
      ),
      schema: { type: 'string' },
    },
  };

  c.parameters = {
    ...c.parameters,
    [PARAM.requestId]: {
      name: 'X-Request-ID',
      in: 'header',
      required: false,
      description: marked(
        'Optionele correlatie-id van de client. De gateway neemt een bruikbare waarde over en maakt anders ' +
          'zelf een id; die komt terug in de X-Request-ID van het antwoord.',
      ),
      schema: { type: 'string' },
    },
    [PARAM.ifMatch]: {
      name: 'If-Match',
      in: 'header',
      required: false,
      description: marked(
        'Voorwaardelijke wijziging (RFC 9110): één of meer ETag-waarden, of `*`. Komt de ETag van de ' +
          'actuele KLANT (de volledige representatie zoals klant_read die via dezelfde publieke URL geeft) ' +
          'er niet in voor, dan antwoordt de gateway 412 en wijzigt niets. Zonder header: onvoorwaardelijk.',
      ),
      schema: { type: 'string' },
    },
    [PARAM.ifNoneMatch]: {
      name: 'If-None-Match',
      in: 'header',
      required: false,
      description: marked(
        'Voorwaardelijk opvragen: één of meer ETag-waarden, of `*`. Komt de ETag van de actuele ' +
          'representatie erin voor, dan antwoordt de gateway 304 zonder body.',
      ),
      schema: { type: 'string' },
    },
    [PARAM.idempotencyKey]: {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: marked(
        'Maakt klant_create veilig herhaalbaar (IETF draft-ietf-httpapi-idempotency-key-header). Een ' +
          'herhaling door dezelfde client met dezelfde sleutel en dezelfde body wordt niet opnieuw ' +
          'uitgevoerd: de gateway geeft het eerste antwoord opnieuw. Dezelfde sleutel met een andere body ' +
          'geeft 422; loopt het eerste verzoek nog, dan geeft de herhaling 409.',
      ),
      schema: { type: 'string' },
    },
    [PARAM.fields]: {
      name: 'fields',
      in: 'query',
      required: false,
      description: marked(FIELDS_DESCRIPTION),
      schema: { type: 'string' },
    },
  };

  const responses = (c.responses ??= {});
  for (const response of Object.values(responses)) addRequestIdHeader(response);
  for (const [status, response] of Object.entries(ADDED_RESPONSES)) responses[status] = structuredClone(response);
}

/** Every response of the gateway carries X-Request-ID. */
export function addRequestIdHeader(response: OasResponse): void {
  if (response.$ref !== undefined) return;
  response.headers = { ...response.headers, [HEADER.requestId]: headerRef(HEADER.requestId) };
}
