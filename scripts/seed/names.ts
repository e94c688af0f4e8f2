/** Invented names for demo people: never real people's data. */
export const FIRST_NAMES = [
  'Avery', 'Blake', 'Casey', 'Dana', 'Emerson', 'Finley', 'Gray', 'Harper', 'Indigo', 'Jordan', 'Kendall', 'Logan', 'Morgan', 'Noel',
  'Oakley', 'Parker', 'Quinn', 'Reese', 'Sage', 'Taylor', 'Umber', 'Val', 'Wren', 'Xen', 'Yael', 'Zion', 'Arden', 'Briar', 'Cove',
  'Dell', 'Ellis', 'Fallon', 'Glenn', 'Hollis', 'Ira', 'Jules', 'Kit', 'Lane', 'Marlo', 'Nico', 'Onyx', 'Peyton', 'Remy', 'Shay',
] as const;

export const LAST_NAMES = [
  'Ashdown', 'Birchwell', 'Coldmere', 'Dunmore', 'Eastvale', 'Fairhollow', 'Glenrock', 'Hartwood', 'Ironbridge', 'Juniper', 'Kestrel',
  'Larkspur', 'Millbrook', 'Northcote', 'Oakhurst', 'Pinecrest', 'Quarry', 'Ravensworth', 'Stonefield', 'Thornbury', 'Upwood',
  'Valemont', 'Westbrook', 'Yarrow', 'Zephyrine', 'Alderidge', 'Brackenfell', 'Copperfield', 'Driftwood', 'Elmstead', 'Foxglove',
  'Greywater', 'Hazelmere', 'Ivywood', 'Kingsmoor', 'Lindenfall', 'Marshgate', 'Netherby', 'Orchardson', 'Pebblebrook', 'Rushford',
] as const;

export const AGENCY_NAMES = [
  'Summit Planning', 'Harbor Benefits', 'Prairie Risk', 'Cedar Financial', 'Lakeshore Advisors', 'Mesa Insurance Group',
  'Riverbend Partners', 'Granite Brokerage', 'Bluebonnet Agency', 'Evergreen Producers', 'Canyon Life Group', 'Tidewater Agency',
] as const;
