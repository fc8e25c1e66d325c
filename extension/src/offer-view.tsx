// The offer page as the buyer sees it: presentational only (what to show comes in props, taps go out as callbacks).
import {
  Banner,
  BlockStack,
  Button,
  CalloutBanner,
  Heading,
  Image,
  Layout,
  TextBlock,
  TextContainer
} from '@shopify/post-purchase-ui-extensions-react'
import type { Strings } from './messages.js'
import { formatCountdown, formatMoney } from './money.js'
import { OfferControls } from './offer-controls.js'
import type { Offer } from './offer.js'
import { PriceSummary } from './price-summary.js'
import type { Status } from './use-offer-flow.js'
import type { PricePreview } from './use-price-preview.js'

type Props = {
  offer: Offer
  quantity: number
  variantId: number
  status: Exclude<Status, { kind: 'finished' }>
  notice: string | null
  expiresAt: number | null
  now: number
  preview: PricePreview
  strings: Strings
  locale: string
  onQuantity(quantity: number): void
  onVariant(variantId: number): void
  onAccept(): void
  onDecline(): void
  onContinue(): void
}

export function OfferView(props: Props) {
  const { offer, quantity, variantId, status, notice, expiresAt, now, preview, strings, locale } = props

  if (status.kind === 'failed' || status.kind === 'expired') {
    return (
      <BlockStack spacing="loose">
        <Banner status={status.kind === 'failed' ? status.tone : 'info'}>
          <TextBlock>{status.kind === 'failed' ? status.message : strings.expired}</TextBlock>
        </Banner>
        <Button onPress={props.onContinue}>{strings.continue}</Button>
      </BlockStack>
    )
  }

  const working = status.kind === 'busy'
  const { content } = offer
  const { lines, error } = preview
  const total = lines ? ` · ${formatMoney(lines.total, locale)}` : ''
  return (
    <BlockStack spacing="loose">
      {notice ? (
        <Banner status="success">
          <TextBlock>{notice}</TextBlock>
        </Banner>
      ) : null}
      {expiresAt !== null ? (
        <CalloutBanner
          title={strings.expiresIn(formatCountdown(expiresAt - now))}
          background="secondary"
          border="block"
        />
      ) : null}
      <Layout
        maxInlineSize={0.95}
        media={[
          { viewportSize: 'small', sizes: [1, 30, 1] },
          { viewportSize: 'medium', sizes: [300, 30, 0.5] },
          { viewportSize: 'large', sizes: [400, 30, 0.33] }
        ]}
      >
        {content.image ? (
          <Image source={content.image} description={content.imageAlt} aspectRatio={1} bordered />
        ) : (
          <BlockStack />
        )}
        <BlockStack />
        <BlockStack spacing="loose">
          <TextContainer>
            <Heading>{content.headline}</Heading>
            {content.body ? <TextBlock>{content.body}</TextBlock> : null}
          </TextContainer>
          <OfferControls
            offer={offer}
            strings={strings}
            quantity={quantity}
            variantId={variantId}
            disabled={working}
            onQuantity={props.onQuantity}
            onVariant={props.onVariant}
          />
          {error ? (
            <Banner status="warning">
              <TextBlock>{error}</TextBlock>
            </Banner>
          ) : (
            <PriceSummary
              lines={lines}
              locale={locale}
              strings={strings}
              discountTitle={offer.discount?.title ?? null}
            />
          )}
          <BlockStack spacing="tight">
            <Button
              submit
              onPress={props.onAccept}
              loading={working && status.action === 'accept'}
              loadingLabel={strings.working}
              disabled={working || lines === null || error !== null}
            >
              {`${content.acceptLabel}${total}`}
            </Button>
            <Button
              subdued
              onPress={props.onDecline}
              loading={working && status.action === 'decline'}
              disabled={working}
            >
              {content.declineLabel}
            </Button>
          </BlockStack>
        </BlockStack>
      </Layout>
    </BlockStack>
  )
}
