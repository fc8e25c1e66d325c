// A deliberately wrong extension: a DOM element, which Shopify's host refuses. Proves the harness's allow-list.
import { render } from '@shopify/post-purchase-ui-extensions-react'

render('Checkout::PostPurchase::Render', () => <div>not a Shopify component</div>)
