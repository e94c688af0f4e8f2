import { PDFDocument, StandardFonts } from 'pdf-lib';

/** The BGA agreement as the one-page PDF the agent signs: its version and the agent's id, no other personal data. */
export async function agreementPdf(version: string, agentId: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([612, 792]);
  const lines = [
    `BGA agent agreement, version ${version}`,
    `Agent ${agentId}`,
    'The agent agrees to the BGA terms of contracting, compensation and conduct.',
  ];
  for (const [i, line] of lines.entries()) page.drawText(line, { x: 72, y: 720 - i * 20, size: 12, font });
  pdf.setCreationDate(new Date(0));
  pdf.setModificationDate(new Date(0));
  return pdf.save({ useObjectStreams: false });
}
