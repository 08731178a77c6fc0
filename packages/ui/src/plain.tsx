/**
 * Plain stand-ins for antd's Card, List and Typography on what loads first (the admin login, the
 * portal's layout, page headings and home page). Those antd components bring tabs, pagination
 * with a select, editable and copyable text with a text area and tooltips, about 40 kB of gzip
 * JavaScript those pages do not use. These draw the same look from the theme's tokens.
 */
import { Spin, theme } from 'antd';
import type { CSSProperties, ReactNode } from 'react';

/** A bordered panel with a title bar, like a small antd Card. */
export function Panel({
  title,
  extra,
  children,
  style,
  'data-testid': testId,
}: {
  title: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
  style?: CSSProperties;
  'data-testid'?: string;
}) {
  const { token } = theme.useToken();
  const border = `${token.lineWidth}px ${token.lineType} ${token.colorBorderSecondary}`;
  return (
    <section
      data-testid={testId}
      style={{
        background: token.colorBgContainer,
        color: token.colorText,
        fontFamily: token.fontFamily,
        fontSize: token.fontSize,
        lineHeight: token.lineHeight,
        border,
        borderRadius: token.borderRadiusLG,
        ...style,
      }}
    >
      <header
        style={{
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
          flexWrap: 'wrap',
          gap: token.marginXS,
          minHeight: 38,
          padding: `0 ${token.paddingSM}px`,
          borderBottom: border,
          color: token.colorTextHeading,
          fontWeight: token.fontWeightStrong,
        }}
      >
        <span>{title}</span>
        {extra}
      </header>
      <div style={{ padding: token.paddingSM }}>{children}</div>
    </section>
  );
}

/** Rows of a link on the left and a note on the right, like an antd List with `extra`. */
export function LinkRows<T>({
  loading,
  rows,
  render,
}: {
  loading: boolean;
  rows: readonly T[];
  render: (row: T) => { key: string; link: ReactNode; note: ReactNode };
}) {
  const { token } = theme.useToken();
  if (loading) return <Spin style={{ display: 'block', margin: `${token.marginLG}px auto` }} />;
  return (
    <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
      {rows.map((row, i) => {
        const { key, link, note } = render(row);
        return (
          <li
            key={key}
            style={{
              display: 'flex',
              alignItems: 'baseline',
              justifyContent: 'space-between',
              gap: token.marginSM,
              padding: `${token.paddingSM}px 0`,
              borderTop: i ? `${token.lineWidth}px ${token.lineType} ${token.colorSplit}` : undefined,
            }}
          >
            <span style={{ minWidth: 0, overflowWrap: 'anywhere' }}>{link}</span>
            <span style={{ color: token.colorTextSecondary, whiteSpace: 'nowrap' }}>{note}</span>
          </li>
        );
      })}
    </ul>
  );
}

/** A heading in the theme's heading style (antd's Typography.Title without its editing tools). */
export function Heading({
  level,
  children,
  style,
  'data-testid': testId,
}: {
  level: 1 | 2 | 3 | 4 | 5;
  children: ReactNode;
  style?: CSSProperties;
  'data-testid'?: string;
}) {
  const { token } = theme.useToken();
  const H = `h${level}` as const;
  return (
    <H
      data-testid={testId}
      style={{
        margin: '0 0 0.5em',
        overflowWrap: 'anywhere',
        fontFamily: token.fontFamily,
        color: token.colorTextHeading,
        fontWeight: token.fontWeightStrong,
        fontSize: token[`fontSizeHeading${level}`],
        lineHeight: token[`lineHeightHeading${level}`],
        ...style,
      }}
    >
      {children}
    </H>
  );
}

/** Secondary (grey) text in a paragraph or inline. */
export function Secondary({
  as = 'span',
  children,
  style,
}: {
  as?: 'span' | 'p';
  children: ReactNode;
  style?: CSSProperties;
}) {
  const { token } = theme.useToken();
  const Tag = as;
  return (
    <Tag
      style={{
        color: token.colorTextSecondary,
        overflowWrap: 'anywhere',
        fontFamily: token.fontFamily,
        ...(as === 'p' ? { margin: '0 0 1em' } : {}),
        ...style,
      }}
    >
      {children}
    </Tag>
  );
}
