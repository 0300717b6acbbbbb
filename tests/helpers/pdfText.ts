// The text of a PDF as a reader sees it, through pdftotext (Debian's poppler-utils).
import { execFile } from 'node:child_process';
import { ensureDebianBinary } from './debianPackage';

const PDFTOTEXT = process.env.PDFTOTEXT_PATH ?? '/usr/bin/pdftotext';

export async function pdfText(pdf: Buffer): Promise<string> {
  const binary = await ensureDebianBinary(PDFTOTEXT, 'poppler-utils');
  return new Promise((resolve, reject) => {
    const child = execFile(binary, ['-layout', '-', '-'], { encoding: 'utf8' }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
    child.stdin?.end(pdf);
  });
}
