/**
 * Plain stand-ins for antd's Typography on the login page, the first load: Typography brings
 * editable and copyable text with a text area and tooltips the page does not use. These draw the
 * same look from the theme's tokens.
 */
import { theme } from 'antd';
import type { CSSProperties, ReactNode } from 'react';

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
