// The smallest React extension: measures the floor React 17 and the SDK put under our bundle size.
import { render, Text } from '@shopify/post-purchase-ui-extensions-react'

render('Checkout::PostPurchase::Render', () => <Text>Hello</Text>)
