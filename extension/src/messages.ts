// The extension's own words (offer content comes translated from the service), in English and French.

export type ChangesetErrorCode =
  | 'payment_required'
  | 'insufficient_inventory'
  | 'changeset_already_applied'
  | 'unsupported_payment_method'
  | 'invalid_request'
  | 'server_error'
  | 'buyer_consent_required'
  | 'subscription_vaulting_error'
  | 'subscription_contract_creation_error'
  | 'subscription_no_shipping_address_error'
  | 'subscription_limit_error'
  | 'order_released_error'

type Strings = {
  quantity: string
  decrease: string
  increase: string
  option: string
  optionN: (n: number) => string
  originalPrice: string
  discount: string
  subtotal: string
  shipping: string
  free: string
  taxes: string
  totalNow: string
  calculating: string
  expiresIn: (time: string) => string
  expired: string
  added: string
  continue: string
  working: string
  signFailed: string
  errors: Record<ChangesetErrorCode, string>
  unknownError: string
}

const en: Strings = {
  quantity: 'Quantity',
  decrease: 'Decrease quantity',
  increase: 'Increase quantity',
  option: 'Option',
  optionN: (n) => `Option ${n}`,
  originalPrice: 'Price',
  discount: 'Discount',
  subtotal: 'Subtotal',
  shipping: 'Shipping',
  free: 'Free',
  taxes: 'Taxes',
  totalNow: 'Pay now',
  calculating: 'Calculating your price…',
  expiresIn: (t) => `Offer ends in ${t}`,
  expired: 'This offer has ended. Your order is complete.',
  added: 'Added to your order.',
  continue: 'Continue to your order',
  working: 'Adding to your order',
  signFailed: 'We could not add this item right now. You have not been charged and your order is unchanged.',
  errors: {
    payment_required:
      'Your payment method could not be charged for this item, so it was not added. Your original order is unchanged.',
    insufficient_inventory: 'Sorry, this item just sold out, so it was not added. You have not been charged.',
    changeset_already_applied: 'This item is already part of your order. You will not be charged twice.',
    unsupported_payment_method:
      'This offer cannot be paid with the payment method you used, so it was not added. You have not been charged.',
    invalid_request: 'Something went wrong and the item was not added. You have not been charged.',
    server_error: 'Something went wrong on our side and the item was not added. You have not been charged.',
    buyer_consent_required:
      'This item needs your consent before it can be added, so it was not added. You have not been charged.',
    subscription_vaulting_error:
      'We could not save your payment method for the subscription, so it was not added. You have not been charged.',
    subscription_contract_creation_error:
      'We could not start the subscription, so it was not added. You have not been charged.',
    subscription_no_shipping_address_error:
      'A subscription needs a shipping address, so it was not added. You have not been charged.',
    subscription_limit_error: 'No more subscriptions can be added to this order. You have not been charged.',
    order_released_error:
      'Your order is already being prepared, so nothing more can be added. You have not been charged.'
  },
  unknownError: 'The item could not be added. Your original order is unchanged.'
}

const fr: Strings = {
  quantity: 'Quantité',
  decrease: 'Diminuer la quantité',
  increase: 'Augmenter la quantité',
  option: 'Option',
  optionN: (n) => `Option ${n}`,
  originalPrice: 'Prix',
  discount: 'Remise',
  subtotal: 'Sous-total',
  shipping: 'Livraison',
  free: 'Gratuite',
  taxes: 'Taxes',
  totalNow: 'À payer maintenant',
  calculating: 'Calcul du prix…',
  expiresIn: (t) => `L’offre se termine dans ${t}`,
  expired: 'Cette offre est terminée. Votre commande est complète.',
  added: 'Ajouté à votre commande.',
  continue: 'Continuer vers ma commande',
  working: 'Ajout à votre commande',
  signFailed:
    'Impossible d’ajouter cet article pour le moment. Vous n’avez pas été débité et votre commande est inchangée.',
  errors: {
    payment_required:
      'Votre moyen de paiement n’a pas pu être débité : l’article n’a pas été ajouté. Votre commande est inchangée.',
    insufficient_inventory:
      'Désolé, cet article vient d’être épuisé : il n’a pas été ajouté. Vous n’avez pas été débité.',
    changeset_already_applied: 'Cet article fait déjà partie de votre commande. Vous ne serez pas débité deux fois.',
    unsupported_payment_method:
      'Cette offre ne peut pas être payée avec votre moyen de paiement : elle n’a pas été ajoutée. Vous n’avez pas été débité.',
    invalid_request: 'Une erreur est survenue et l’article n’a pas été ajouté. Vous n’avez pas été débité.',
    server_error: 'Une erreur est survenue de notre côté et l’article n’a pas été ajouté. Vous n’avez pas été débité.',
    buyer_consent_required:
      'Cet article demande votre accord avant d’être ajouté : il n’a pas été ajouté. Vous n’avez pas été débité.',
    subscription_vaulting_error:
      'Impossible d’enregistrer votre moyen de paiement pour l’abonnement : il n’a pas été ajouté. Vous n’avez pas été débité.',
    subscription_contract_creation_error:
      'Impossible de démarrer l’abonnement : il n’a pas été ajouté. Vous n’avez pas été débité.',
    subscription_no_shipping_address_error:
      'Un abonnement demande une adresse de livraison : il n’a pas été ajouté. Vous n’avez pas été débité.',
    subscription_limit_error:
      'Aucun autre abonnement ne peut être ajouté à cette commande. Vous n’avez pas été débité.',
    order_released_error:
      'Votre commande est déjà en préparation : rien ne peut plus y être ajouté. Vous n’avez pas été débité.'
  },
  unknownError: 'L’article n’a pas pu être ajouté. Votre commande est inchangée.'
}

/** The strings for a buyer locale such as "fr-CA"; English when the language is not translated. */
export function messagesFor(locale: string | undefined): Strings {
  const lang = (locale ?? 'en').toLowerCase().split(/[-_]/)[0]
  return lang === 'fr' ? fr : en
}

/** The buyer-facing message for an applyChangeset error code (unknown codes get a generic one). */
export function errorMessage(strings: Strings, code: string | undefined): string {
  return code !== undefined && Object.prototype.hasOwnProperty.call(strings.errors, code)
    ? strings.errors[code as ChangesetErrorCode]
    : strings.unknownError
}

export type { Strings }
