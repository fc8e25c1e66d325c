// The shop a checkout UI extension's session token names: `dest` as a URL or a bare domain, nothing else.
import t from 'tap'
import { shopOfDest } from '../../server/plugins/session-token-auth.js'

t.test('dest: https://shop or the bare shop domain; anything else is no shop', async (t) => {
  t.equal(shopOfDest('https://demo-snow.myshopify.com'), 'demo-snow.myshopify.com')
  t.equal(shopOfDest('https://demo-snow.myshopify.com/'), 'demo-snow.myshopify.com')
  t.equal(shopOfDest('demo-snow.myshopify.com'), 'demo-snow.myshopify.com')
  t.equal(shopOfDest('Demo-Snow.MyShopify.com'), 'demo-snow.myshopify.com', 'case folds')
  for (const bad of [
    'http://demo-snow.myshopify.com',
    'https://demo-snow.myshopify.com/admin',
    'https://demo-snow.myshopify.com.evil.com',
    'https://evil.com?x=demo-snow.myshopify.com',
    'https://user@demo-snow.myshopify.com',
    'demo-snow.example.com',
    '.myshopify.com',
    '',
    'x'.repeat(300),
    42,
    null
  ]) {
    t.equal(shopOfDest(bad), null, JSON.stringify(bad))
  }
})
