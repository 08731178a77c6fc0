/**
 * Redaction for the public column (R16): inspectors appear with name and certificate number
 * only; units without legal representative, address or contacts; covert plans stay sealed
 * until executed (callers decide when to publish).
 */

/** The public face of an inspector. */
export function redactInspector(i: { name: string; certificateNo: string }): {
  name: string;
  certificateNo: string;
} {
  return { name: i.name, certificateNo: i.certificateNo };
}

/** The public face of a unit: identity and sector only. */
export function redactUnit(u: { id: string; name: string; industry: string; bureauCode: string }): {
  id: string;
  name: string;
  industry: string;
  bureauCode: string;
} {
  return { id: u.id, name: u.name, industry: u.industry, bureauCode: u.bureauCode };
}
