/** Edm primitive type groups shared by literal formatting and value conversion. */
export const INTEGER_TYPES: ReadonlySet<string> = new Set(['Edm.Byte', 'Edm.SByte', 'Edm.Int16', 'Edm.Int32', 'Edm.Int64']);
export const DECIMAL_TYPES: ReadonlySet<string> = new Set(['Edm.Decimal', 'Edm.Double', 'Edm.Single']);
