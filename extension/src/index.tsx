// The extension's entry: a switchboard for Shopify's two post-purchase extension points.
import { extend, render } from '@shopify/post-purchase-ui-extensions-react'
import { shouldRender } from './should-render.js'
import { OfferPage } from './offer-page.js'

extend('Checkout::PostPurchase::ShouldRender', shouldRender)

// A function returning the element, not the component itself: hooks need React to call OfferPage.
render('Checkout::PostPurchase::Render', () => <OfferPage />)
