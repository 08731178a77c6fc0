import { Tooltip, Typography } from 'antd';

/**
 * An internal id (a UUID) as a page shows it: its first eight characters, the whole id on hover
 * and copied by the copy button — a reference to compare, not text to read.
 */
export function ShortId({ id }: { id: string }) {
  return (
    <Tooltip title={id}>
      <Typography.Text code copyable={{ text: id }} data-testid="short-id">
        {id.slice(0, 8)}
      </Typography.Text>
    </Tooltip>
  );
}
